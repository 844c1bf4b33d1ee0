package dev.ratchet.node;

import dev.ratchet.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the driver takes a snapshot: after every {@code snapshotEveryEntries} entries applied since the
 * last one, or at once when an operator asked ({@link RaftDriver#snapshotNow()}); answers those requests
 * with the snapshot's index. It logs under {@link RaftDriver}'s logger, where these lines always were.
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it, once per turn of its loop.
 */
final class SnapshotScheduler {

    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);

    private final String nodeId;
    private final ReadyHandler handler;
    private final long snapshotEveryEntries;
    private final LongSupplier nanoClock;
    private final DriverStats stats;
    private final List<CompletableFuture<Long>> requests = new ArrayList<>();

    SnapshotScheduler(String nodeId, ReadyHandler handler, long snapshotEveryEntries, LongSupplier nanoClock,
            DriverStats stats) {
        this.nodeId = nodeId;
        this.handler = handler;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.nanoClock = nanoClock;
        this.stats = stats;
    }

    /** An operator's request: answered at the next {@link #maybeSnapshot}. */
    void request(CompletableFuture<Long> future) {
        requests.add(future);
    }

    /** Takes a snapshot if one is due or requested; blocks the driver thread while it is written. */
    void maybeSnapshot() {
        boolean requested = !requests.isEmpty();
        long start = nanoClock.getAsLong();
        Snapshot snapshot = handler.snapshotIfDue(snapshotEveryEntries, requested);
        if (snapshot != null) {
            stats.recordSnapshot(nanoClock.getAsLong() - start);
            log.info("{} saved a snapshot at index {} ({} bytes)", nodeId, snapshot.metadata().index(),
                    snapshot.data().length);
        }
        if (requested) {
            long index = handler.lastSnapshotIndex();
            requests.forEach(f -> f.complete(index));
            requests.clear();
        }
    }

    /** The driver stopped: every request fails with {@code e}. */
    void failAll(NodeUnavailableException e) {
        requests.forEach(f -> f.completeExceptionally(e));
        requests.clear();
    }
}
