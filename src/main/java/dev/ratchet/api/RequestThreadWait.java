package dev.ratchet.api;

import dev.ratchet.node.NodeUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on the request's own thread for the cluster's answer to a write or a linearizable read.
 *
 * <p>Why not return the future to Spring MVC (issue 14): async processing hands the answer to a second
 * container thread and dispatches the request a second time through the whole servlet filter chain,
 * Spring Security's included. Profiled on a follower under 16 spread writers, that second dispatch took
 * more CPU than the request itself. Waiting here costs one park and one wake-up, and the answer is then
 * turned into a response on this thread, not on the driver or transport thread that completed the
 * future. Requests that may wait long (blocking queries with {@code wait=}, watches) still go async: a
 * parked container thread per long poll would exhaust the pool.
 *
 * <p>Blocks for at most {@code timeout}; safe from any number of threads.
 */
final class RequestThreadWait {

    private RequestThreadWait() {
    }

    /**
     * The future's value.
     *
     * @throws ExecutionException   carrying the failure the future completed with ({@link ApiErrors} maps
     *                              its cause)
     * @throws TimeoutException     if no answer came within {@code timeout} (answered 504, outcome unknown)
     * @throws NodeUnavailableException if the thread was interrupted (the node is shutting down)
     */
    static <T> T await(CompletableFuture<T> future, Duration timeout) throws ExecutionException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnavailableException("interrupted while waiting for the cluster (the node is shutting down)");
        }
    }
}
