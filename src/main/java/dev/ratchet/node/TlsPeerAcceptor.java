package dev.ratchet.node;

import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.transport.PeerAcceptor;
import dev.ratchet.trust.PeerConnection;
import dev.ratchet.trust.PeerTlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's listening side over mutual TLS. Handshakes run on a small bounded pool, not on the
 * accepting thread, so a client that connects and then stalls (or sends junk slowly) cannot hold up other
 * peers for a handshake timeout. When the pool and its queue are full, new connections are closed at
 * once. A failed handshake (a stranger, a peer with no common root yet) is logged at debug level and
 * counted by the trust layer.
 */
final class TlsPeerAcceptor implements PeerAcceptor {

    private static final Logger log = LoggerFactory.getLogger(TlsPeerAcceptor.class);
    private static final int HANDSHAKE_THREADS = 4;
    private static final int PENDING_HANDSHAKES = 32;
    private static final int READY_CONNECTIONS = 64;

    private final ServerSocket server;
    private final PeerTlsContexts tls;
    private final Duration handshakeTimeout;
    private final ThreadPoolExecutor handshakes;
    private final BlockingQueue<AcceptedPeer> ready = new ArrayBlockingQueue<>(READY_CONNECTIONS);
    private final Thread acceptor;

    TlsPeerAcceptor(InetSocketAddress bind, PeerTlsContexts tls, Duration handshakeTimeout) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(bind, 128);
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.handshakes = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PENDING_HANDSHAKES), r -> {
                    Thread t = new Thread(r, "ratchet-peer-handshake");
                    t.setDaemon(true);
                    return t;
                });
        this.handshakes.allowCoreThreadTimeOut(true);
        this.acceptor = new Thread(this::acceptLoop, "ratchet-peer-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket plain;
            try {
                plain = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("accepting a peer connection failed: {}", e.toString());
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            try {
                handshakes.execute(() -> handshake(plain));
            } catch (RejectedExecutionException e) {
                log.warn("too many peer handshakes in progress; closing a connection from {}",
                        plain.getRemoteSocketAddress());
                closeQuietly(plain);
            }
        }
    }

    /** A persistent accept failure (out of file descriptors) must not spin a core. */
    private static void pauseAfterAcceptFailure() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handshake(Socket plain) {
        try {
            PeerConnection c = tls.handshakeAccepted(plain, handshakeTimeout);
            AcceptedPeer peer = new AcceptedPeer(c.socket(), c.peerNodeId());
            if (!ready.offer(peer, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the transport is not taking new connections; closing one from {}", c.peerNodeId());
                closeQuietly(c.socket());
            } else if (server.isClosed() && ready.remove(peer)) {
                // Finished after close() drained the queue: nobody will take it.
                closeQuietly(c.socket());
            }
        } catch (IOException e) {
            log.debug("refused a peer connection: {}", e.getMessage());
            closeQuietly(plain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(plain);
        }
    }

    @Override
    public AcceptedPeer accept() throws IOException {
        while (true) {
            if (server.isClosed()) {
                throw new IOException("peer listener closed");
            }
            try {
                AcceptedPeer peer = ready.poll(200, TimeUnit.MILLISECONDS);
                if (peer != null) {
                    return peer;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while accepting", e);
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
        handshakes.shutdownNow();
        AcceptedPeer p;
        while ((p = ready.poll()) != null) {
            closeQuietly(p.socket());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
