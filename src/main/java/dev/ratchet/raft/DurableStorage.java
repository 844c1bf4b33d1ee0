package dev.ratchet.raft;

import java.util.List;

/**
 * The write side of Raft storage, used by the driver (never by the core).
 *
 * <p>Contract: writes ({@link #append}, {@link #setHardState}, {@link #installSnapshot}) become
 * visible to readers at once but are only guaranteed to survive a crash after {@link #sync()} returns.
 * A crash may lose any suffix of the writes made since the last sync, never anything before it. The
 * driver persists one {@code Ready} with any number of writes and exactly one {@code sync()} (group
 * commit), and only then sends the messages that acknowledge those writes.
 *
 * <p>Threading: single writer (the driver thread). Reads through {@link RaftStorage} happen on the same
 * thread. An I/O failure throws {@link StorageException}; after that the storage refuses every further
 * write, so nothing that was not persisted can be acknowledged.
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

    /** Makes every write so far durable (one fsync per file touched). */
    void sync();

    /** Releases files; further calls fail. */
    @Override
    void close();
}
