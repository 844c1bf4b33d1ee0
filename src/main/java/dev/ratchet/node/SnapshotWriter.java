package dev.ratchet.node;

import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The driver's snapshot thread (issue 14): encodes a captured state ({@link CapturedSnapshot#encode}) and
 * writes and forces the snapshot's file ({@link DurableStorage#writeSnapshotFile}) while the Raft loop goes on
 * stepping messages, ticking and heartbeating; with a large state the encoding, the write and the fsync took
 * the loop away for long enough to cost heartbeats (0.3-1.2 s each for a 90 MB image). One snapshot at a time: the loop captures the next only after {@link #pollWritten} handed the
 * last one back.
 *
 * <p>Threading: {@link #submit}, {@link #pollWritten} and {@link #busy} are called by the driver thread; the
 * write runs on this writer's own daemon thread, started per snapshot. {@link #close} waits up to 10 s for a
 * write in progress, then returns without stopping it: the storage is closed after it, and a write that
 * outlives that finishes or fails unrecorded; what it leaves (a temporary file, or a snapshot without its WAL
 * marker) the next open deletes.
 */
final class SnapshotWriter implements AutoCloseable {

    /** The outcome of one write: the snapshot written, or what its encoding or write threw. */
    private record Outcome(Snapshot snapshot, RuntimeException failure) { }

    private final String nodeId;
    private final DurableStorage storage;
    private final Runnable wakeDriver;
    private final AtomicReference<Outcome> done = new AtomicReference<>();
    /** Written by the driver thread only; volatile for {@link #close} called after the driver gave up on it. */
    private volatile Thread running;

    /**
     * @param wakeDriver called when a write finished, on the writer thread; must not block
     */
    SnapshotWriter(String nodeId, DurableStorage storage, Runnable wakeDriver) {
        this.nodeId = nodeId;
        this.storage = storage;
        this.wakeDriver = wakeDriver;
    }

    /** Whether a snapshot was submitted and not yet handed back by {@link #pollWritten}. */
    boolean busy() {
        return running != null;
    }

    /**
     * Starts encoding {@code captured} and writing its file.
     *
     * @throws IllegalStateException if a write is still busy
     */
    void submit(CapturedSnapshot captured) {
        if (running != null) {
            throw new IllegalStateException("a snapshot is being written already");
        }
        Thread t = new Thread(() -> {
            Outcome outcome;
            try {
                Snapshot snapshot = captured.encode();
                storage.writeSnapshotFile(snapshot);
                outcome = new Outcome(snapshot, null);
            } catch (RuntimeException e) {
                outcome = new Outcome(null, e);
            } catch (Throwable error) {
                // An Error (out of heap or of direct buffer memory) must stop the driver as it would have on
                // the driver thread, not leave this writer busy for good and the log never compacted again.
                outcome = new Outcome(null, new StorageException("the snapshot writer failed: " + error, error));
            }
            done.set(outcome);
            wakeDriver.run();
        }, "raft-snapshot-" + nodeId);
        t.setDaemon(true);
        running = t;
        t.start();
    }

    /**
     * The snapshot whose file is written, once; null while the write runs or if none was submitted. Never blocks.
     *
     * @throws StorageException if the write failed (a storage failure: the storage is failed from then on), or
     *         the runtime exception the encoding or the write threw
     */
    Snapshot pollWritten() {
        Outcome outcome = done.getAndSet(null);
        if (outcome == null) {
            return null;
        }
        running = null;
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.snapshot();
    }

    @Override
    public void close() {
        Thread t = running;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
