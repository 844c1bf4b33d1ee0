package dev.ratchet.transport;

import java.io.IOException;

/**
 * Where a {@link StreamHandler} writes the chunks of a streamed response.
 *
 * <p>Contract: used by one thread at a time. {@link #send} blocks while the receiver has not granted
 * credit for more chunks (back-pressure), for at most the stream's idle timeout. The transport ends the
 * stream when the handler returns (normally: end-of-stream; by exception: an error at the receiver).
 */
public interface ChunkSink {

    /**
     * Sends one chunk, waiting for credit if the receiver is behind.
     *
     * @throws IOException if the receiver cancelled, the connection closed, or no credit came in time;
     *     the handler should stop producing
     * @throws IllegalArgumentException if the chunk exceeds the frame limit
     */
    void send(byte[] chunk) throws IOException;

    /** The largest chunk {@link #send} accepts. */
    int maxChunkBytes();
}
