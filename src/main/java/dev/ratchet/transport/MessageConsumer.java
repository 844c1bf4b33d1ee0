package dev.ratchet.transport;

/**
 * Receives one-way messages from peers.
 *
 * <p>Contract: called on the reader thread of the connection the message arrived on, in arrival order
 * for that connection. It must not block (hand the message to a queue or the Raft driver instead): while
 * it runs, that connection reads nothing. An exception thrown here is logged and the message is dropped;
 * the connection stays open.
 */
@FunctionalInterface
public interface MessageConsumer {

    /** Handles a message; the payload array is owned by the consumer from now on. */
    void accept(String peerId, byte[] payload);
}
