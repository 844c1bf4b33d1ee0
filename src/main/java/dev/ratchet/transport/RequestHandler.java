package dev.ratchet.transport;

import java.util.concurrent.CompletionStage;

/**
 * Answers requests of one type.
 *
 * <p>Contract: runs on the transport's bounded handler pool, never on a reader thread, so it may block
 * briefly; long work should return an incomplete stage and finish elsewhere. A thrown exception or a
 * stage that completes exceptionally becomes a {@link TransportException.Reason#REMOTE_FAILURE} at the
 * caller. A response larger than the frame limit becomes {@link TransportException.Reason#BAD_REQUEST}.
 */
@FunctionalInterface
public interface RequestHandler {

    /** Produces the response for a request from {@code peerId}. */
    CompletionStage<byte[]> handle(String peerId, byte[] payload);
}
