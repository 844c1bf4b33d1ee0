package dev.ratchet.transport;

import java.net.Socket;
import java.util.Objects;

/**
 * An inbound connection and the peer id its remote end authenticated as.
 *
 * @param socket the connected socket; whoever receives this record owns and closes it
 * @param peerId the authenticated node id of the remote end
 */
public record AcceptedPeer(Socket socket, String peerId) {

    public AcceptedPeer {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(peerId, "peerId");
    }
}
