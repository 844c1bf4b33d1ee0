package dev.ratchet.artifacts;

import dev.ratchet.node.PeerRequestTypes;
import dev.ratchet.transport.PeerTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches wanted blobs from peers on a few worker threads: the publishing node first, then the other
 * members in random order, for up to {@link #ROUNDS} passes with a doubling pause between them. Bytes go
 * to a temporary file whose SHA-256 and size are checked before the blob is published; a mismatch or
 * failure moves on to the next peer. If every pass fails, the blob stays wanted and the next
 * reconciliation round queues it again. A blob is fetched only when the {@link StorageBudget} has room
 * for it; otherwise it stays wanted likewise.
 *
 * <p>Thread-safety: {@link #offer} may be called from any thread and never blocks (the queue is bounded;
 * a full queue leaves the task to the next round). Workers block on disk and network, never under a lock.
 */
public final class BlobFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BlobFetcher.class);
    /** Passes over all peers per task before leaving the blob to the next reconciliation round. */
    static final int ROUNDS = 4;
    static final long FIRST_BACKOFF_MILLIS = 100;
    /** At most one warning per this interval that replicas wait for room: every round would repeat it. */
    private static final long FULL_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String nodeId;
    private final BlobStore store;
    private final EtagIndex index;
    private final PeerTransport transport;
    private final Supplier<List<String>> peers;
    private final Duration attemptTimeout;
    private final ThreadPoolExecutor workers;
    private final StorageBudget budget;
    private final AtomicLong lastFullWarning = new AtomicLong(System.nanoTime() - FULL_WARNING_NANOS);
    final LongAdder fetched = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder bytesFetched = new LongAdder();
    /** Fetches not started because the store had no room (quota or free-space reserve). */
    final LongAdder refusedForRoom = new LongAdder();

    /**
     * @param peers the other members' ids, asked at each attempt
     * @param attemptTimeout bound on one peer's whole transfer (besides the transport's idle timeout)
     */
    public BlobFetcher(String nodeId, BlobStore store, EtagIndex index, PeerTransport transport,
            Supplier<List<String>> peers, int threads, int queueCapacity, Duration attemptTimeout) {
        this(nodeId, store, index, transport, peers, threads, queueCapacity, attemptTimeout,
                new StorageBudget(StorageLimits.none(), () -> 0, () -> Long.MAX_VALUE));
    }

    /**
     * As above; {@code budget} must have room for a blob before it is fetched, else the blob stays
     * wanted and a later reconciliation round tries again.
     */
    public BlobFetcher(String nodeId, BlobStore store, EtagIndex index, PeerTransport transport,
            Supplier<List<String>> peers, int threads, int queueCapacity, Duration attemptTimeout,
            StorageBudget budget) {
        this.nodeId = nodeId;
        this.budget = budget;
        this.store = store;
        this.index = index;
        this.transport = transport;
        this.peers = peers;
        this.attemptTimeout = attemptTimeout;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "ratchet-blob-fetch-" + nodeId);
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** Queues a fetch; if the queue is full the index is told, and a later round offers it again. */
    public void offer(EtagIndex.FetchTask task) {
        try {
            workers.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            index.notQueued(task.etag());
        }
    }

    /** Tasks queued or running. */
    public int backlog() {
        return workers.getQueue().size() + workers.getActiveCount();
    }

    private void run(EtagIndex.FetchTask task) {
        if (!index.startFetch(task.etag())) {
            return;
        }
        try (StorageBudget.Reservation room = budget.reserve(task.size(),
                "a replica of blob " + task.etag() + " (" + task.size() + " bytes)")) {
            fetchFromSomePeer(task);
        } catch (ArtifactStoreFullException e) {
            refusedForRoom.increment();
            warnFull(e);
            index.fetchFailed(task.etag());
        }
    }

    private void warnFull(ArtifactStoreFullException e) {
        long now = System.nanoTime();
        long last = lastFullWarning.get();
        if (now - last >= FULL_WARNING_NANOS && lastFullWarning.compareAndSet(last, now)) {
            log.warn("not fetching: {}; the blob stays wanted and is retried in later rounds ({} refused so far)",
                    e.getMessage(), refusedForRoom.sum());
        } else {
            log.debug("not fetching: {}", e.getMessage());
        }
    }

    private void fetchFromSomePeer(EtagIndex.FetchTask task) {
        List<String> order = new ArrayList<>(peers.get());
        Collections.shuffle(order);
        order.remove(task.holder());
        if (!task.holder().equals(nodeId)) {
            order.add(0, task.holder());
        }
        try {
            for (int round = 0; round < ROUNDS; round++) {
                if (round > 0) {
                    // A peer may only be busy serving others; wait a little before asking everyone again.
                    TimeUnit.MILLISECONDS.sleep(FIRST_BACKOFF_MILLIS << (round - 1));
                }
                for (String peer : order) {
                    try {
                        fetchFrom(peer, task);
                        fetched.increment();
                        bytesFetched.add(task.size());
                        return;
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        log.debug("fetching blob {} from {} failed: {}", task.etag(), peer, e.toString());
                    }
                }
            }
            log.info("no peer of {} delivered blob {}; retrying in a later round", order, task.etag());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failures.increment();
        index.fetchFailed(task.etag());
    }

    private void fetchFrom(String peer, EtagIndex.FetchTask task) throws Exception {
        try (BlobStore.Receiver receiver = store.receive(task.size())) {
            try {
                transport.callStream(peer, PeerRequestTypes.FETCH_BLOB,
                        task.etag().getBytes(StandardCharsets.US_ASCII), receiver::write)
                        .get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception c ? c : e;
            } catch (TimeoutException e) {
                throw new IOException("transfer from " + peer + " took longer than " + attemptTimeout);
            }
            index.publishFetched(receiver.finish(task.etag(), task.size()));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
