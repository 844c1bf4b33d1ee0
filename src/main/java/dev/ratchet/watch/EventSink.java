package dev.ratchet.watch;

import java.io.IOException;

/**
 * Where a watch's events go (an SSE stream in production, a list in tests). Called by one thread at a
 * time per watch, never concurrently; {@link #send} may block while the client reads slowly.
 */
public interface EventSink {

    /**
     * Sends one event.
     *
     * @param id the SSE {@code id} (a revision) or null for an event that must not move the client's
     *     resume point
     * @throws IOException if the client is gone; the watch is then closed
     */
    void send(String id, String event, String data) throws IOException;

    /** Ends the stream. Idempotent. */
    void close();
}
