package dev.ratchet.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The sending end of a streamed response, handed to a {@link StreamHandler} as its {@link ChunkSink}.
 * Each chunk costs one credit; the receiver returns credits as it consumes, so a slow receiver holds the
 * producer back instead of filling memory.
 */
final class StreamSender implements ChunkSink {

    private final long correlationId;
    private final FrameQueue queue;
    private final int maxChunkBytes;
    private final long idleTimeoutNanos;
    private final Semaphore credits;
    private volatile String stopReason;

    StreamSender(long correlationId, FrameQueue queue, int maxChunkBytes, int initialCredits,
            long idleTimeoutNanos) {
        this.correlationId = correlationId;
        this.queue = queue;
        this.maxChunkBytes = maxChunkBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.credits = new Semaphore(initialCredits);
    }

    @Override
    public void send(byte[] chunk) throws IOException {
        if (chunk.length > maxChunkBytes) {
            throw new IllegalArgumentException(
                    "chunk of " + chunk.length + " bytes exceeds the limit of " + maxChunkBytes);
        }
        try {
            checkNotStopped();
            if (!credits.tryAcquire(idleTimeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new IOException("receiver granted no credit within the stream idle timeout");
            }
            checkNotStopped();
            if (!queue.offer(new Frame(FrameType.STREAM_CHUNK, correlationId, 0, chunk), idleTimeoutNanos)) {
                throw new IOException("connection send queue stayed full for the stream idle timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a chunk");
        }
    }

    @Override
    public int maxChunkBytes() {
        return maxChunkBytes;
    }

    void grant(int chunks) {
        if (chunks > 0) {
            credits.release(chunks);
        }
    }

    /** Makes the next (or a waiting) {@link #send} fail; used on cancel and on connection loss. */
    void stop(String reason) {
        stopReason = reason;
        credits.release(Integer.MAX_VALUE / 2);
    }

    boolean isStopped() {
        return stopReason != null;
    }

    private void checkNotStopped() throws IOException {
        String reason = stopReason;
        if (reason != null) {
            throw new IOException("stream stopped: " + reason);
        }
    }
}
