package dev.ratchet.storage;

import dev.ratchet.raft.DurableStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * One pipelined sync of {@link FileRaftStorage} (issue 14): what forcing the writes handed to the OS before
 * it was started takes. {@link #force()} runs on the driver's sync thread; a failure fails the storage at
 * once (so that no later write or sync on the writer thread succeeds) and is thrown again on the writer
 * thread by {@link FileRaftStorage#finishSync}.
 */
final class WalSync implements DurableStorage.PendingSync {

    private final Wal.SegmentSync segment;
    private final long number;
    private final Consumer<Exception> onFailure;
    private volatile Exception failure;

    /**
     * @param number the storage's count of syncs started, this one included
     * @param onFailure told of a failed force, on the forcing thread; must be thread-safe
     */
    WalSync(Wal.SegmentSync segment, long number, Consumer<Exception> onFailure) {
        this.segment = segment;
        this.number = number;
        this.onFailure = onFailure;
    }

    /** Blocks for the disk; thread-safe; keeps an I/O error instead of throwing it. */
    @Override
    public void force() {
        try {
            segment.force();
        } catch (IOException | UncheckedIOException e) {
            failure = e;
            onFailure.accept(e);
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
