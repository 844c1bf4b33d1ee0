package dev.ratchet.raft;

import java.util.List;

/**
 * The write side of Raft storage, used by the driver (never by the core).
 *
 * <p>Contract: writes ({@link #append}, {@link #setHardState}, {@link #installSnapshot}) become
 * visible to readers at once but are only guaranteed to survive a crash after a sync covering them:
 * {@link #sync()} returned, or a {@link PendingSync} taken after them was forced. A crash may lose any
 * suffix of the writes made since the last completed sync, never anything before it. The driver writes a
 * {@code Ready} with any number of writes and one sync (group commit), and only after that sync sends the
 * messages that acknowledge those writes. It may pipeline: take a {@link #startSync()}, hand it to another
 * thread to force, and go on writing meanwhile.
 *
 * <p>Threading: single writer (the driver thread). Reads through {@link RaftStorage} happen on the same
 * thread; only {@link PendingSync#force()} may run on another. An I/O failure throws
 * {@link StorageException}; after that the storage refuses every further write, so nothing that was not
 * persisted can be acknowledged.
 */
public interface DurableStorage extends RaftStorage, AutoCloseable {

    /**
     * Appends entries whose indexes are consecutive. If the first index is at or below
     * {@link #lastIndex()}, every existing entry from that index on is discarded first (a conflict
     * resolved by the leader). The first index must be in {@code [snapshot index + 1, lastIndex() + 1]}.
     */
    void append(List<Entry> entries);

    /** Records the hard state; the commit index never decreases. */
    void setHardState(HardState hardState);

    /**
     * Replaces the log with a snapshot received from the leader: every entry at or below its index is
     * dropped, and so is the rest of the log unless an entry at the snapshot's index with the snapshot's
     * term is present (then later entries are kept).
     */
    void installSnapshot(Snapshot snapshot);

    /**
     * Saves a snapshot the local state machine made at an applied index and drops log entries up to it,
     * except for any catch-up margin the storage keeps (see {@link #firstIndex()}). Entries after the
     * index are kept.
     */
    void saveLocalSnapshot(Snapshot snapshot);

    /**
     * The first half of {@link #saveLocalSnapshot}, for a snapshot taken off the writer thread's back: makes the
     * snapshot's own file durable and touches nothing else, so it may run on any thread, concurrently with the
     * writer thread's writes. Blocks for the disk. The snapshot becomes the storage's only with
     * {@link #adoptLocalSnapshot}; one never adopted is removed by the storage (after a crash at the next open,
     * when an install overtook it by that adoption call). The default does nothing: a storage that keeps its snapshots in memory has no file to write.
     *
     * @throws StorageException if the write fails (the storage is failed from then on)
     */
    default void writeSnapshotFile(Snapshot snapshot) {
    }

    /**
     * Writer thread, after {@link #writeSnapshotFile} returned: the second half of {@link #saveLocalSnapshot}
     * (records the snapshot, drops the log up to it but for the catch-up margin).
     *
     * @return false, having changed nothing, if the snapshot is no newer than the storage's (a snapshot installed
     *         from the leader while the file was written)
     */
    default boolean adoptLocalSnapshot(Snapshot snapshot) {
        if (snapshot.metadata().index() <= snapshotMetadata().index()) {
            return false;
        }
        saveLocalSnapshot(snapshot);
        return true;
    }

    /**
     * Makes every write so far durable (one fsync per file touched). Blocks for the disk. The same as
     * {@link #startSync()}, {@link PendingSync#force()} and {@link #finishSync} in a row.
     */
    default void sync() {
        PendingSync pending = startSync();
        pending.force();
        finishSync(pending);
    }

    /**
     * Hands every write so far to the operating system and returns what remains to make them durable. Cheap
     * (no fsync), writer thread only. Each call returns a new object (callers tell syncs apart by identity).
     * Forcing a later one makes the writes of every earlier one durable too.
     *
     * @throws StorageException if handing the writes over fails (the storage is failed from then on)
     */
    PendingSync startSync();

    /**
     * Writer thread, after {@code pending.force()} returned or threw: reports a failed force (the storage is
     * failed from then on) and does the housekeeping the sync allows (dropping compacted files).
     *
     * @throws StorageException if the force failed or the housekeeping does
     */
    void finishSync(PendingSync pending);

    /** One sync in progress: what forcing writes handed to the operating system takes. */
    interface PendingSync {

        /**
         * Blocks until the writes issued before {@link #startSync()} made this are durable. Thread-safe: may
         * run on any thread, concurrently with writes of the writer thread. Never throws; a failure is kept for
         * {@link #finishSync}.
         */
        void force();

        /** True if {@link #force()} ran into an I/O error. Thread-safe. */
        boolean failed();
    }

    /** Releases files; further calls fail. */
    @Override
    void close();
}
