package dev.ratchet.node;

import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.transport.PeerAcceptor;
import dev.ratchet.trust.PeerConnection;
import dev.ratchet.trust.PeerHandshakeException;
import dev.ratchet.trust.PeerTlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's listening side over mutual TLS: accepts TCP connections and runs the acceptor's
 * root-iterating handshake. A failed handshake (a stranger, a peer with no common root yet) is logged at
 * debug level, counted by the trust layer, and the next connection is accepted.
 */
final class TlsPeerAcceptor implements PeerAcceptor {

    private static final Logger log = LoggerFactory.getLogger(TlsPeerAcceptor.class);

    private final ServerSocket server;
    private final PeerTlsContexts tls;
    private final Duration handshakeTimeout;

    TlsPeerAcceptor(InetSocketAddress bind, PeerTlsContexts tls, Duration handshakeTimeout) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(bind, 128);
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public AcceptedPeer accept() throws IOException {
        while (true) {
            try {
                PeerConnection c = tls.accept(server, handshakeTimeout);
                return new AcceptedPeer(c.socket(), c.peerNodeId());
            } catch (PeerHandshakeException e) {
                log.debug("refused a peer connection: {}", e.getMessage());
                if (server.isClosed()) {
                    throw e;
                }
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public boolean isClosed() {
        return server.isClosed();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
