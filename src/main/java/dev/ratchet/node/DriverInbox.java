package dev.ratchet.node;

import dev.ratchet.raft.RaftCore;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link RaftDriver}'s bounded queue of work for its driver thread: peer messages, proposals and
 * requests. Offering never blocks; a full inbox refuses and the caller decides (drop or fail fast).
 *
 * <p>{@link #offer} is called from any thread; {@link #poll}, {@link #drainTo} and {@link #failQueued}
 * only from the driver thread.
 */
final class DriverInbox {

    /** Work for the driver thread; {@code future} (null for peer messages) fails if the node stops first. */
    record Task(Consumer<RaftCore> action, CompletableFuture<?> future) {
    }

    private final BlockingQueue<Task> queue;

    DriverInbox(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code task}; false (at once) if the inbox is full. Thread-safe. */
    boolean offer(Task task) {
        return queue.offer(task);
    }

    /** The next task, waiting up to {@code waitNanos} (not at all when not positive); null if none came. */
    Task poll(long waitNanos) throws InterruptedException {
        return waitNanos > 0 ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : queue.poll();
    }

    /** Moves up to {@code max} queued tasks into {@code batch} without waiting. */
    void drainTo(List<Task> batch, int max) {
        queue.drainTo(batch, max);
    }

    /** The driver stopped: empties the inbox, failing every queued request's future with {@code e}. */
    void failQueued(NodeUnavailableException e) {
        Task task;
        while ((task = queue.poll()) != null) {
            if (task.future() != null) {
                task.future().completeExceptionally(e);
            }
        }
    }
}
