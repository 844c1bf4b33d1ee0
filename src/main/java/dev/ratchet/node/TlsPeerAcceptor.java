package dev.ratchet.node;

import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.transport.PeerAcceptor;
import dev.ratchet.trust.PeerConnection;
import dev.ratchet.trust.PeerTlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's listening side over mutual TLS. Handshakes run on their own threads, not on the
 * accepting thread, so a client that connects and then stalls cannot hold up other peers. What
 * unauthenticated connections may hold is bounded by {@link PeerHandshakeLimits}: each handshake has
 * an overall deadline, at most {@code maxPending} run at once and at most {@code maxPendingPerAddress}
 * from one source address; a connection over either bound is closed at once, before any TLS. A
 * failed handshake (junk, a stranger, a peer with no common root yet) is logged at debug level and
 * counted by the trust layer, which decides whether it moves the root ratchet.
 */
final class TlsPeerAcceptor implements PeerAcceptor {

    private static final Logger log = LoggerFactory.getLogger(TlsPeerAcceptor.class);
    /** Failed inbound handshakes at WARN, once per remote address per minute. */
    private final HandshakeWarnings handshakeWarnings = new HandshakeWarnings("inbound", System::nanoTime);
    private static final int READY_CONNECTIONS = 64;
    /** At most one warning per this interval about refused connections; a flood must not flood the log. */
    private static final long REFUSAL_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ServerSocket server;
    private final PeerTlsContexts tls;
    private final Duration handshakeTimeout;
    private final HandshakeSlots slots;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRefusalWarning = new AtomicLong(System.nanoTime() - REFUSAL_WARNING_NANOS);
    private final ThreadPoolExecutor handshakes;
    private final BlockingQueue<AcceptedPeer> ready = new ArrayBlockingQueue<>(READY_CONNECTIONS);
    private final Thread acceptor;

    /**
     * Binds and starts accepting.
     *
     * @throws IOException when the address cannot be bound
     */
    TlsPeerAcceptor(InetSocketAddress bind, PeerTlsContexts tls, PeerHandshakeLimits limits) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(bind, 128);
        this.tls = tls;
        this.handshakeTimeout = limits.deadline();
        this.slots = new HandshakeSlots(limits.maxPending(), limits.maxPendingPerAddress());
        // One thread per admitted handshake: a stalled client holds its own thread, never another's
        // place in a queue. The slots bound the threads; the queue only bridges a thread that is
        // finishing its task while a new one is admitted.
        this.handshakes = new ThreadPoolExecutor(limits.maxPending(), limits.maxPending(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.maxPending()), r -> {
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
            InetAddress source = plain.getInetAddress();
            Optional<HandshakeSlots.Refusal> refusal = slots.tryTake(source);
            if (refusal.isPresent()) {
                refuse(plain, refusal.get());
                continue;
            }
            try {
                handshakes.execute(() -> {
                    try {
                        handshake(plain);
                    } finally {
                        slots.release(source);
                    }
                });
            } catch (RejectedExecutionException e) {
                // Only after close(): the slots keep admitted handshakes within the pool.
                slots.release(source);
                closeQuietly(plain);
            }
        }
    }

    private void refuse(Socket plain, HandshakeSlots.Refusal why) {
        refused.incrementAndGet();
        closeQuietly(plain);
        long now = System.nanoTime();
        long last = lastRefusalWarning.get();
        String reason = why == HandshakeSlots.Refusal.ALL_TAKEN
                ? "all ratchet.peer.handshake.max-pending slots are taken"
                : "its address holds ratchet.peer.handshake.max-pending-per-address slots already";
        if (now - last >= REFUSAL_WARNING_NANOS && lastRefusalWarning.compareAndSet(last, now)) {
            log.warn("closed a peer-port connection from {} before its handshake: {} ({} refused so far;"
                    + " next warning in a minute at the earliest)", plain.getInetAddress(), reason, refused.get());
        } else {
            log.debug("closed a peer-port connection from {} before its handshake: {}", plain.getInetAddress(), reason);
        }
    }

    /** Connections closed before their handshake because a limit was reached, since start. */
    long refusedConnections() {
        return refused.get();
    }

    /** Handshakes admitted and not yet finished. */
    int pendingHandshakes() {
        return slots.pending();
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
            handshakeWarnings.failed(plain.getInetAddress().getHostAddress(), e.getMessage());
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
