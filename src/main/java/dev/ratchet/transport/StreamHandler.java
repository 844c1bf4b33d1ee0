package dev.ratchet.transport;

/**
 * Produces a streamed response of one request type, chunk by chunk, for large blobs.
 *
 * <p>Contract: runs on the transport's bounded stream pool (separate from request handlers) and may block
 * in {@link ChunkSink#send}
 * (that is how back-pressure reaches the producer). Returning normally ends the stream; throwing sends
 * the exception message to the receiver as {@link TransportException.Reason#REMOTE_FAILURE}.
 */
@FunctionalInterface
public interface StreamHandler {

    /** Streams the response to a request from {@code peerId} into {@code sink}. */
    void handle(String peerId, byte[] payload, ChunkSink sink) throws Exception;
}
