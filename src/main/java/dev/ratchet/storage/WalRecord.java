package dev.ratchet.storage;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;

/** One record of the write-ahead log. Replaying the records in order rebuilds the log and hard state. */
sealed interface WalRecord {

    /**
     * First record of every segment: the state at the moment the segment was started, so that replay
     * can begin at any segment once older ones were deleted after a snapshot.
     */
    record SegmentHeader(long sequence, long snapshotIndex, long snapshotTerm, long lastIndex, HardState hardState)
            implements WalRecord {}

    /** A log entry. */
    record EntryRecord(Entry entry) implements WalRecord {}

    /** The hard state from here on. */
    record HardStateRecord(HardState hardState) implements WalRecord {}

    /** Every entry at or above {@code fromIndex} is discarded (a conflicting suffix). */
    record TruncateRecord(long fromIndex) implements WalRecord {}

    /**
     * A snapshot at (index, term) now bounds the log. Entries after it survive only if
     * {@code keepSuffix}; the snapshot file itself is written before this record is synced.
     */
    record SnapshotMarker(long index, long term, boolean keepSuffix) implements WalRecord {}
}
