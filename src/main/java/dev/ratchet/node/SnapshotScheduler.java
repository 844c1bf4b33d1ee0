package dev.ratchet.node;

import dev.ratchet.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the driver takes a snapshot: after every {@code snapshotEveryEntries} entries applied since the
 * last one, or at once when an operator asked ({@link RaftDriver#snapshotNow()}); answers those requests
 * with the snapshot's index. The state is captured on the driver thread (it is consistent there, between two
 * applies; the capture is O(1) for the documents); it is encoded and its file written and forced by a
 * {@link SnapshotWriter} while the loop goes on, and the
 * storage adopts it (WAL marker, compaction) on the driver thread when the writer is done. It logs under
 * {@link RaftDriver}'s logger, where these lines always were.
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it, once per turn of its loop.
 */
final class SnapshotScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);

    private final String nodeId;
    private final ReadyHandler handler;
    private final SnapshotWriter writer;
    private final long snapshotEveryEntries;
    private final LongSupplier nanoClock;
    private final DriverStats stats;
    private final List<CompletableFuture<Long>> requests = new ArrayList<>();
    /** Requests made before the snapshot being written was captured: answered when it is adopted. */
    private final List<CompletableFuture<Long>> answeredByWrite = new ArrayList<>();
    private long captureStarted;
    private long captureNanos;

    SnapshotScheduler(String nodeId, ReadyHandler handler, SnapshotWriter writer, long snapshotEveryEntries,
            LongSupplier nanoClock, DriverStats stats) {
        this.nodeId = nodeId;
        this.handler = handler;
        this.writer = writer;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.nanoClock = nanoClock;
        this.stats = stats;
    }

    /** An operator's request: answered once a snapshot captured after it is saved (or at once if none is due). */
    void request(CompletableFuture<Long> future) {
        requests.add(future);
    }

    /**
     * Adopts a snapshot whose file the writer finished, then captures the next one if it is due or requested
     * and hands it to the writer. Blocks the driver thread only while the state is captured.
     *
     * @throws dev.ratchet.raft.StorageException if writing or adopting a snapshot failed
     */
    void maybeSnapshot() {
        Snapshot written;
        try {
            written = writer.pollWritten();
        } finally {
            stats.snapshotInProgress = writer.busy();
        }
        if (written != null) {
            boolean adopted = handler.snapshotWritten(written);
            if (adopted) {
                long totalNanos = nanoClock.getAsLong() - captureStarted;
                stats.recordSnapshot(totalNanos, captureNanos);
                log.info("{} saved a snapshot at index {} ({} bytes; {} ms capturing on the driver thread, {} ms in all)",
                        nodeId, written.metadata().index(), written.data().length,
                        TimeUnit.NANOSECONDS.toMillis(captureNanos), TimeUnit.NANOSECONDS.toMillis(totalNanos));
            } else {
                log.info("{} dropped its snapshot at index {}: a newer one was installed while it was written",
                        nodeId, written.metadata().index());
            }
            answer(answeredByWrite);
        }
        if (writer.busy()) {
            return; // Requests wait for the next capture: the one being written may predate them.
        }
        boolean requested = !requests.isEmpty();
        long start = nanoClock.getAsLong();
        CapturedSnapshot captured = handler.captureIfDue(snapshotEveryEntries, requested);
        if (captured != null) {
            captureStarted = start;
            captureNanos = nanoClock.getAsLong() - start;
            answeredByWrite.addAll(requests);
            requests.clear();
            writer.submit(captured);
            stats.snapshotInProgress = true;
        } else if (requested) {
            answer(requests); // Nothing applied since the last snapshot: that one answers.
        }
    }

    private void answer(List<CompletableFuture<Long>> futures) {
        long index = handler.lastSnapshotIndex();
        futures.forEach(f -> f.complete(index));
        futures.clear();
    }

    /** Waits (up to 10 s) for a snapshot file being written. */
    @Override
    public void close() {
        writer.close();
    }

    /** The driver stopped: every request fails with {@code e}. */
    void failAll(NodeUnavailableException e) {
        requests.forEach(f -> f.completeExceptionally(e));
        requests.clear();
        answeredByWrite.forEach(f -> f.completeExceptionally(e));
        answeredByWrite.clear();
    }
}
