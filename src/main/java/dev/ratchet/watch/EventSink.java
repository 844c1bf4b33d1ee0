package dev.ratchet.watch;

import java.io.IOException;

/**
 * Where a watch's events go (an SSE response in production, a list in tests). Called by one thread at a
 * time per watch, never concurrently; {@link #send} may block while the client reads slowly.
 */
public interface EventSink {

    /**
     * Writes one or more events, already framed as Server-Sent Events ({@code id:}/{@code event:}/
     * {@code data:} lines, each event ended by a blank line), in one write, and flushes them.
     *
     * @throws IOException if the client is gone; the watch is then closed
     */
    void send(byte[] frames) throws IOException;

    /** Ends the stream. Idempotent. */
    void close();
}
