package dev.ratchet.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving end of a streamed response. The reader thread only buffers chunks; a delivery task hands
 * them to the consumer one at a time, in order, and returns one credit per chunk consumed, so the sender
 * never has more than the credit window in flight and the buffer never holds more than that.
 */
final class StreamReceiver implements Outstanding {

    /** How the receiver talks back to the sender and to its link. */
    interface Control {
        void grantCredit(int chunks);

        void cancelRemote();

        /** Removes the stream from its link's outstanding set; called once, when the stream is over. */
        void finished();
    }

    final CompletableFuture<Void> future = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final int window;
    private final ChunkConsumer consumer;
    private final Executor deliveryPool;
    private final Control control;
    private volatile boolean ended;
    private volatile long lastProgressNanos = System.nanoTime();

    StreamReceiver(int window, ChunkConsumer consumer, Executor deliveryPool, Control control) {
        this.window = window;
        this.consumer = consumer;
        this.deliveryPool = deliveryPool;
        this.control = control;
    }

    /** Called on the reader thread. */
    void onChunk(byte[] chunk) {
        lastProgressNanos = System.nanoTime();
        if (buffered.incrementAndGet() > window) {
            abort(new TransportException(TransportException.Reason.BAD_REQUEST,
                    "peer sent more chunks than the credit window of " + window));
            return;
        }
        chunks.add(chunk);
        scheduleDrain();
    }

    /** Called on the reader thread after the last chunk. */
    void onEnd() {
        lastProgressNanos = System.nanoTime();
        ended = true;
        scheduleDrain();
    }

    long nanosSinceProgress() {
        return System.nanoTime() - lastProgressNanos;
    }

    @Override
    public void fail(TransportException failure) {
        future.completeExceptionally(failure);
    }

    /** Fails the stream here and tells the sender to stop. */
    void abort(Throwable failure) {
        if (future.isDone()) {
            return;
        }
        // Free the call slot first: whoever sees the failure may start the next stream at once.
        control.finished();
        if (future.completeExceptionally(failure)) {
            control.cancelRemote();
        }
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                deliveryPool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                abort(new TransportException(TransportException.Reason.OVERLOADED, "chunk delivery pool is full"));
            }
        }
    }

    private void drain() {
        try {
            while (true) {
                byte[] chunk;
                while (!future.isDone() && (chunk = chunks.poll()) != null) {
                    consumer.accept(chunk);
                    buffered.decrementAndGet();
                    lastProgressNanos = System.nanoTime();
                    control.grantCredit(1);
                }
                if (future.isDone()) {
                    return;
                }
                if (ended && chunks.isEmpty()) {
                    control.finished();
                    future.complete(null);
                    return;
                }
                draining.set(false);
                // A chunk or the end may have arrived after the poll above but before the flag was cleared.
                if ((chunks.isEmpty() && !ended) || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (Exception e) {
            abort(e);
        }
    }
}
