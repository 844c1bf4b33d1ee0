package dev.ratchet.trust;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node on loopback for TLS tests: its contexts, its counters, and an acceptor thread that
 * handshakes every incoming connection and keeps the ones that succeed.
 */
final class TlsNode implements AutoCloseable {
    static final Duration TIMEOUT = TestKeys.scaled(Duration.ofSeconds(5));

    final String id;
    final InMemoryHandshakeCounters counters = new InMemoryHandshakeCounters();
    final PeerTlsContexts tls;
    final LinkedBlockingQueue<PeerConnection> accepted = new LinkedBlockingQueue<>();
    final AtomicInteger acceptFailures = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;

    TlsNode(String id, TrustRoots roots, TrustSettings settings, Clock clock, Set<String> members) throws IOException {
        this(new LeafCertificates(new NodeIdentity(id, List.of("127.0.0.1", "localhost")), settings, clock,
                TestKeys.RANDOM), roots, settings, members);
    }

    TlsNode(LeafCertificates leaves, TrustRoots roots, TrustSettings settings, Set<String> members) throws IOException {
        this.id = leaves.identity().nodeId();
        this.tls = new PeerTlsContexts(leaves, roots, settings, members::contains, counters);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "acceptor-" + id);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Dials {@code peer} with the default attempt bound. */
    PeerConnection dial(TlsNode peer) throws IOException {
        return tls.connect("127.0.0.1", peer.port(), peer.id, TIMEOUT);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                accepted.add(tls.accept(server, TIMEOUT));
            } catch (PeerHandshakeException e) {
                acceptFailures.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(TIMEOUT.toMillis());
        for (PeerConnection connection : accepted) {
            closeQuietly(connection.socket());
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            // JSSE drains TLS 1.3 input on close for up to the read timeout; no need to wait in tests.
            socket.setSoTimeout(1);
            socket.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
