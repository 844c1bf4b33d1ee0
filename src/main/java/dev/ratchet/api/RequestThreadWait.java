package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.node.OutcomeUnknownException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Waits on the request's own thread for the cluster's answer to a write or a linearizable read.
 *
 * <p>Why not return the future to Spring MVC (issue 14): async processing hands the answer to a second
 * container thread and dispatches the request a second time through the whole servlet filter chain,
 * Spring Security's included. Profiled on a follower under 16 spread writers, that second dispatch took
 * more CPU than the request itself. Waiting here costs one park and one wake-up, and the answer is then
 * turned into a response on this thread, not on the driver or transport thread that completed the
 * future. Requests that may wait long (blocking queries with {@code wait=}, watches) still go async.
 *
 * <p>Why a cap: a leader cut off from its quorum holds every waiting request until the request timeout or
 * until it steps down. Without a bound, such requests could take every container thread, and health
 * probes, stale reads and everything else would queue behind them. At most three quarters of
 * {@code server.tomcat.threads.max} requests wait at once; the next one is refused with 503 before
 * anything is proposed, so retrying it is safe.
 *
 * <p>{@link #await} blocks for at most {@code ratchet.api.request-timeout}; safe from any number of threads.
 */
@Component
final class RequestThreadWait {

    /** What an interrupted wait means for the caller. */
    enum Kind {
        /** Nothing was changed by the request: an interrupt is "node unavailable", 503. */
        READ,
        /** The write may already be proposed: an interrupt is "outcome unknown", 504, never "retry". */
        WRITE
    }

    private final Duration timeout;
    private final int limit;
    private final Semaphore waiting;

    RequestThreadWait(ApiProperties properties, @Value("${server.tomcat.threads.max:200}") int containerThreads) {
        this.timeout = properties.requestTimeout();
        this.limit = Math.max(1, containerThreads * 3 / 4);
        this.waiting = new Semaphore(limit);
    }

    /**
     * Starts the request ({@code start} proposes or asks for a read barrier) and waits for its future.
     *
     * @throws ExecutionException       carrying the failure the future completed with ({@link ApiErrors}
     *                                  maps its cause)
     * @throws TimeoutException         if no answer came within the request timeout (504, outcome unknown)
     * @throws NodeUnavailableException if too many requests wait already (nothing was started), or if a
     *                                  read's thread was interrupted
     * @throws OutcomeUnknownException  if a write's thread was interrupted (the node is shutting down)
     */
    <T> T await(Kind kind, Supplier<CompletableFuture<T>> start) throws ExecutionException, TimeoutException {
        if (!waiting.tryAcquire()) {
            throw new NodeUnavailableException("node overloaded: " + limit + " requests already wait for the cluster"
                    + " on this node (three quarters of server.tomcat.threads.max); nothing was done, retry");
        }
        try {
            return start.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (kind == Kind.WRITE) {
                throw new OutcomeUnknownException("interrupted while waiting for the cluster (the node is shutting"
                        + " down); the write may or may not have been applied");
            }
            throw new NodeUnavailableException("interrupted while waiting for the cluster (the node is shutting down)");
        } finally {
            waiting.release();
        }
    }

    /** Requests waiting now. */
    int waitingNow() {
        return limit - waiting.availablePermits();
    }
}
