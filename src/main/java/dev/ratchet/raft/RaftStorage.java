package dev.ratchet.raft;

import java.util.List;

/**
 * What the Raft core reads of the durable log. The core never writes through this interface: the
 * driver persists what a {@code Ready} hands out (via {@link DurableStorage}) and only then tells the
 * core it is stable.
 *
 * <p>Threading: called only from the thread that owns the core. Implementations must not block for
 * long (they may read from disk). Errors other than the two documented exceptions are unrecoverable
 * storage failures and propagate as {@link StorageException}.
 */
public interface RaftStorage {

    /** The hard state and membership persisted at the last sync (or those of an empty, fresh node). */
    HardState hardState();

    /** The membership as of the latest snapshot plus every conf change persisted after it. */
    ConfState confState();

    /**
     * Entries with {@code lo <= index < hi}, stopping early once their total {@link Entry#sizeBytes()}
     * would exceed {@code maxBytes} (at least one entry is always returned when the range is non-empty).
     *
     * @throws LogCompactedException if {@code lo < firstIndex()}
     * @throws EntryUnavailableException if {@code hi > lastIndex() + 1}
     */
    List<Entry> entries(long lo, long hi, long maxBytes);

    /**
     * The term of the entry at {@code index}. The snapshot's own index is answered from its metadata.
     *
     * @throws LogCompactedException if the index is below {@link #firstIndex()} and is not the snapshot index
     * @throws EntryUnavailableException if the index is above {@link #lastIndex()}
     */
    long term(long index);

    /**
     * The index of the first entry still in the log: at most snapshot index + 1. It is lower when the storage
     * keeps a catch-up margin of entries the snapshot already covers, so that a follower slightly behind is
     * sent entries rather than the whole snapshot (etcd's {@code SnapshotCatchUpEntries}). Entries at or
     * below the snapshot index are committed and applied; the core never applies them again.
     */
    long firstIndex();

    /** The index of the last entry, or the snapshot index when the log after it is empty. */
    long lastIndex();

    /**
     * The latest snapshot, or {@link Snapshot#EMPTY}. May read it from disk (blocking): the core asks for it
     * only to send it to a follower; everything else needs {@link #snapshotMetadata()}.
     *
     * @throws StorageException if it cannot be read back
     */
    Snapshot snapshot();

    /**
     * The latest snapshot's metadata. Must be cheap (the core asks on every status): the default suits a
     * storage that keeps its snapshot in memory; one whose {@link #snapshot()} reads a file must override it.
     */
    default SnapshotMetadata snapshotMetadata() {
        return snapshot().metadata();
    }
}
