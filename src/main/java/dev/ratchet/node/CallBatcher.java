package dev.ratchet.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;

/**
 * Gathers requests bound for one peer into batches, one round trip per batch: a request that finds
 * fewer than {@code maxInFlight} batches under way goes out at once (no added latency when idle); those
 * that arrive while the limit is reached wait and leave together, up to {@code maxCount} requests and
 * {@code maxBytes} bytes per batch (a single larger request still goes, alone), when a batch finishes.
 *
 * <p>Thread-safe; {@link #submit} never blocks. The {@link Sender} runs on the submitting thread or on
 * whichever thread completed the previous batch (a transport reader, the driver), so it must only start
 * the call and return; the requests' futures complete on the thread that completes the batch, with no
 * hand-off per request. A batch's slot is freed when its answer arrives, not when its requests
 * complete.
 */
final class CallBatcher<I, O> {

    /** Sends one batch; must not block. */
    @FunctionalInterface
    interface Sender<I, O> {

        /**
         * Starts the round trip for {@code items} and returns a stage that completes when the answer has
         * arrived, which frees the batch's slot. On success the sender owns {@code futures} (same order,
         * same size) and must complete every one, possibly later (after a local wait that must not hold up
         * the next batch); if the stage fails, the futures it left incomplete fail with its failure.
         */
        CompletionStage<?> send(List<I> items, List<CompletableFuture<O>> futures);
    }

    private record Waiting<I, O>(I item, int bytes, CompletableFuture<O> future) {
    }

    private final Sender<I, O> sender;
    private final ToIntFunction<I> sizeOf;
    private final int maxCount;
    private final long maxBytes;
    private final int maxInFlight;
    private final int maxQueued;
    private final ArrayDeque<Waiting<I, O>> queue = new ArrayDeque<>();
    private int inFlight;
    private long batches;
    private long requests;

    /**
     * @param sizeOf      the bytes a request adds to a batch
     * @param maxQueued   requests that may wait; beyond it {@link #submit} fails fast with
     *                    {@link NodeUnavailableException}
     */
    CallBatcher(Sender<I, O> sender, ToIntFunction<I> sizeOf, int maxCount, long maxBytes, int maxInFlight,
            int maxQueued) {
        if (maxCount < 1 || maxBytes < 1 || maxInFlight < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
        this.sender = sender;
        this.sizeOf = sizeOf;
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /** Queues a request; its future completes when the batch carrying it is answered. */
    CompletableFuture<O> submit(I item) {
        CompletableFuture<O> future = new CompletableFuture<>();
        List<Waiting<I, O>> batch;
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                future.completeExceptionally(new NodeUnavailableException("node overloaded: " + maxQueued
                        + " forwarded requests already wait for the leader"));
                return future;
            }
            queue.addLast(new Waiting<>(item, sizeOf.applyAsInt(item), future));
            batch = takeIfAllowed();
        }
        if (batch != null) {
            dispatch(batch);
        }
        return future;
    }

    /** Batches sent so far. */
    synchronized long batchesSent() {
        return batches;
    }

    /** Requests sent so far (in all batches). */
    synchronized long requestsSent() {
        return requests;
    }

    /** Requests waiting for a batch to finish. */
    synchronized int queued() {
        return queue.size();
    }

    private List<Waiting<I, O>> takeIfAllowed() {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
            return null;
        }
        List<Waiting<I, O>> batch = new ArrayList<>(Math.min(queue.size(), maxCount));
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxCount) {
            Waiting<I, O> next = queue.peekFirst();
            if (!batch.isEmpty() && bytes + next.bytes() > maxBytes) {
                break;
            }
            queue.pollFirst();
            bytes += next.bytes();
            batch.add(next);
        }
        inFlight++;
        batches++;
        requests += batch.size();
        return batch;
    }

    private void dispatch(List<Waiting<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        List<CompletableFuture<O>> futures = new ArrayList<>(batch.size());
        for (Waiting<I, O> w : batch) {
            items.add(w.item());
            futures.add(w.future());
        }
        CompletionStage<?> done;
        try {
            done = sender.send(List.copyOf(items), List.copyOf(futures));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        if (done == null) {
            done = CompletableFuture.failedFuture(new IllegalStateException("batch sender returned no stage"));
        }
        done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                for (CompletableFuture<O> f : futures) {
                    f.completeExceptionally(unwrap(failure));
                }
            }
            List<Waiting<I, O>> next;
            synchronized (this) {
                inFlight--;
                next = takeIfAllowed();
            }
            if (next != null) {
                dispatch(next);
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
