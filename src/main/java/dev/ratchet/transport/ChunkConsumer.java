package dev.ratchet.transport;

/**
 * Receives the chunks of a streamed response, in order.
 *
 * <p>Contract: called on the transport's handler pool, one chunk at a time per stream (never two
 * concurrently for the same stream). It may block: the sender is held back by credit until the consumer
 * has taken the chunks it was sent. Throwing cancels the stream and fails its future with that exception.
 */
@FunctionalInterface
public interface ChunkConsumer {

    /** Handles one chunk. */
    void accept(byte[] chunk) throws Exception;
}
