package dev.ratchet.node;

import dev.ratchet.raft.Message;

/**
 * Where the driver hands Raft messages for other nodes. Implementations must not block (queue and
 * return) and may drop a message when a peer is slow or unreachable: Raft retransmits.
 */
@FunctionalInterface
public interface PeerOutbox {

    void send(Message message);
}
