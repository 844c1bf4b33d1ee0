package dev.ratchet.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The listening side of the peer port: accepts connections and tells who is on the other end.
 *
 * <p>Contract: {@link #accept()} is called from a single transport thread in a loop. It blocks until a
 * connection arrives and has authenticated; an implementation must bound the time it spends
 * authenticating one connection (a handshake or hello timeout), because a client that connects and then
 * says nothing must not stop others from being accepted. A connection that fails authentication is
 * closed by the acceptor and reported by throwing {@link IOException} (the transport counts it and calls
 * {@code accept()} again). After {@link #close()}, a blocked or later {@code accept()} throws
 * {@link IOException}; {@code close()} may be called from any thread.
 */
public interface PeerAcceptor extends Closeable {

    /**
     * Waits for the next authenticated inbound connection.
     *
     * @throws IOException if this one connection failed to authenticate, or the acceptor is closed
     *     ({@link #isClosed()} tells which)
     */
    AcceptedPeer accept() throws IOException;

    /** The address the acceptor listens on (useful with an ephemeral port). */
    InetSocketAddress localAddress();

    /** Whether {@link #close()} has been called or the listening socket is gone. */
    boolean isClosed();
}
