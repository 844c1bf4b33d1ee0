package dev.ratchet.trust;

import javax.net.ssl.SSLSocket;

/**
 * An authenticated mutual-TLS connection to a peer, on either side.
 *
 * @param socket the connected socket; the caller owns and closes it
 * @param peerNodeId node id named by the peer's leaf
 * @param rootFingerprint fingerprint of the root of the leaf WE presented
 * @param attempts handshake attempts it took (always 1 on the accepting side)
 */
public record PeerConnection(SSLSocket socket, String peerNodeId, String rootFingerprint, int attempts) {
}
