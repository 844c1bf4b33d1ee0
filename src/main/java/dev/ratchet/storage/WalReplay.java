package dev.ratchet.storage;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.StorageException;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * Rebuilds log, hard state and snapshot position from WAL records in order. Entries at or below a
 * snapshot marker are kept (unless the marker reset the log) so that recovery can fall back to an older
 * snapshot file if the newest one is unreadable. Any record that contradicts what came before is
 * corruption, reported with its file and offset.
 */
final class WalReplay {

    final LogIndex log = new LogIndex();
    final TreeMap<Long, Entry> confEntries = new TreeMap<>();
    HardState hardState = HardState.EMPTY;
    long snapshotIndex;
    long snapshotTerm;
    private long nextSequence = -1;

    /** Segment sequence expected next, or -1 before the first. */
    long nextSequence() {
        return nextSequence;
    }

    void accept(WalRecord record, long position, Path file, long offset) {
        if (record instanceof WalRecord.SegmentHeader h) {
            acceptHeader(h, file, offset);
        } else if (nextSequence < 0) {
            throw inconsistent(file, offset, "segment does not start with a header");
        } else if (record instanceof WalRecord.EntryRecord e) {
            Entry entry = e.entry();
            if (entry.index() != log.lastIndex() + 1) {
                throw inconsistent(file, offset, "entry " + entry.index() + " does not follow " + log.lastIndex());
            }
            log.append(entry.index(), entry.term(), position, entry.sizeBytes());
            if (entry.type() == EntryType.CONF_CHANGE) {
                confEntries.put(entry.index(), entry);
            }
        } else if (record instanceof WalRecord.HardStateRecord hs) {
            hardState = hs.hardState();
        } else if (record instanceof WalRecord.TruncateRecord t) {
            if (t.fromIndex() <= snapshotIndex) {
                throw inconsistent(file, offset, "truncation at " + t.fromIndex() + " below snapshot " + snapshotIndex);
            }
            log.truncateFrom(t.fromIndex());
            confEntries.tailMap(t.fromIndex(), true).clear();
        } else if (record instanceof WalRecord.SnapshotMarker s) {
            // The latest marker wins, even an older index: after falling back from a corrupt snapshot
            // the storage records the one it actually uses.
            if (!s.keepSuffix()) {
                log.reset(s.index());
                confEntries.clear();
            }
            snapshotIndex = s.index();
            snapshotTerm = s.term();
        }
    }

    private void acceptHeader(WalRecord.SegmentHeader h, Path file, long offset) {
        if (offset != 0) {
            throw inconsistent(file, offset, "segment header in the middle of a segment");
        }
        if (nextSequence < 0) {
            log.reset(h.lastIndex());
            hardState = h.hardState();
            snapshotIndex = h.snapshotIndex();
            snapshotTerm = h.snapshotTerm();
        } else if (h.sequence() != nextSequence || h.lastIndex() != log.lastIndex()
                || h.snapshotIndex() != snapshotIndex || !h.hardState().equals(hardState)) {
            throw inconsistent(file, offset, "segment header " + h + " disagrees with the preceding segments");
        }
        nextSequence = h.sequence() + 1;
    }

    private static StorageException inconsistent(Path file, long offset, String reason) {
        return new StorageException("inconsistent WAL record in " + file + " at byte offset " + offset + ": " + reason);
    }
}
