package dev.ratchet.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens an authenticated connection to one named peer. For production this is mutual TLS with trust-root
 * iteration; tests also use plain sockets.
 *
 * <p>Contract: {@link #dial} blocks for at most about {@code timeout} (connect plus authentication) and
 * either returns a connected socket whose remote end has proven to be exactly {@code peerId}, or throws.
 * It must not retry forever: the transport owns retries and backoff. Called concurrently from one thread
 * per peer, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface PeerDialer {

    /**
     * Connects and authenticates.
     *
     * @param peerId the node id the remote end must prove to be
     * @param address where to connect
     * @param timeout upper bound for connect and handshake
     * @return a connected socket, authenticated as {@code peerId}; the caller owns and closes it
     * @throws IOException if the peer cannot be reached or does not authenticate as {@code peerId}
     */
    Socket dial(String peerId, InetSocketAddress address, Duration timeout) throws IOException;
}
