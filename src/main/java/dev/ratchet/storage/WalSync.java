package dev.ratchet.storage;

import dev.ratchet.raft.DurableStorage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One pipelined sync of {@link FileRaftStorage} (issue 14): what forcing the writes handed to the OS before
 * it was started takes. {@link #force()} runs on the driver's sync thread; the failure it met is read back on
 * the writer thread by {@link FileRaftStorage#finishSync}, which fails the storage.
 */
final class WalSync implements DurableStorage.PendingSync {

    private final Wal.SegmentSync segment;
    private final long number;
    private volatile Exception failure;

    /**
     * @param number the storage's count of syncs started, this one included
     */
    WalSync(Wal.SegmentSync segment, long number) {
        this.segment = segment;
        this.number = number;
    }

    /** Blocks for the disk; thread-safe; keeps an I/O error instead of throwing it. */
    @Override
    public void force() {
        try {
            segment.force();
        } catch (IOException | UncheckedIOException e) {
            failure = e;
        }
    }

    @Override
    public boolean failed() {
        return failure != null;
    }

    Exception failure() {
        return failure;
    }

    long number() {
        return number;
    }
}
