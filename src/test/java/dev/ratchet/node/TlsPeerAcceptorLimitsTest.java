package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.InMemoryHandshakeCounters;
import dev.ratchet.trust.LeafCertificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.PeerConnection;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peer port's limits on unauthenticated connections, against a real acceptor on loopback: silent
 * clients from one address beyond {@code maxPendingPerAddress}, or from anywhere beyond
 * {@code maxPending}, are closed at once; the deadline frees their slots; a member still gets in.
 */
class TlsPeerAcceptorLimitsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant NOW = Instant.now();
    private static final TrustRoots ROOTS = Certificates.seed(SETTINGS, NOW.minus(Duration.ofDays(1)), RANDOM);
    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 10 : 30);
    /** Long enough that a held connection is plainly still held when checked, short enough to wait out. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final List<Socket> clients = new ArrayList<>();
    private TlsPeerAcceptor acceptor;

    @AfterEach
    void close() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (acceptor != null) {
            acceptor.close();
        }
    }

    @Test
    void oneAddressCannotTakeMoreThanItsShare() throws Exception {
        acceptor = acceptor(new PeerHandshakeLimits(DEADLINE, 8, 3));
        List<Socket> first = silentClients("127.0.0.2", 3);
        await().atMost(WAIT).until(() -> acceptor.pendingHandshakes() == 3);

        Socket extra = silentClient("127.0.0.2");
        assertClosedAtOnce(extra);
        assertThat(acceptor.refusedConnections()).isEqualTo(1);
        for (Socket held : first) {
            assertStillOpen(held);
        }
        Socket otherAddress = silentClient("127.0.0.3");
        await().atMost(WAIT).until(() -> acceptor.pendingHandshakes() == 4);
        assertStillOpen(otherAddress);

        assertMemberGetsIn();
    }

    @Test
    void allAddressesTogetherStopAtMaxPending() throws Exception {
        acceptor = acceptor(new PeerHandshakeLimits(DEADLINE, 4, 2));
        silentClients("127.0.0.2", 2);
        silentClients("127.0.0.3", 2);
        await().atMost(WAIT).until(() -> acceptor.pendingHandshakes() == 4);

        assertClosedAtOnce(silentClient("127.0.0.4"));
        assertThat(acceptor.refusedConnections()).isEqualTo(1);

        // The deadline frees every slot the silent clients held; a member gets in after it.
        await().atMost(WAIT).until(() -> acceptor.pendingHandshakes() == 0);
        assertMemberGetsIn();
    }

    @Test
    void theDeadlineEndsASilentConnection() throws Exception {
        acceptor = acceptor(new PeerHandshakeLimits(Duration.ofMillis(300), 4, 2));
        Socket silent = silentClient("127.0.0.2");
        silent.setSoTimeout((int) WAIT.toMillis());
        long started = System.nanoTime();
        assertThat(readOrReset(silent)).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
        await().atMost(WAIT).until(() -> acceptor.pendingHandshakes() == 0);
    }

    @Test
    void limitsNameTheirProperties() {
        assertThatThrownBy(() -> new PeerHandshakeLimits(Duration.ofMillis(1), 4, 2))
                .hasMessageContaining("ratchet.peer.handshake.deadline");
        assertThatThrownBy(() -> new PeerHandshakeLimits(DEADLINE, 0, 1))
                .hasMessageContaining("ratchet.peer.handshake.max-pending");
        assertThatThrownBy(() -> new PeerHandshakeLimits(DEADLINE, 4, 5))
                .hasMessageContaining("ratchet.peer.handshake.max-pending-per-address");
    }

    private TlsPeerAcceptor acceptor(PeerHandshakeLimits limits) throws IOException {
        return new TlsPeerAcceptor(new InetSocketAddress("127.0.0.1", 0), contexts("n1"), limits);
    }

    private static PeerTlsContexts contexts(String id) {
        return new PeerTlsContexts(new LeafCertificates(new NodeIdentity(id, List.of("127.0.0.1")), SETTINGS,
                Clock.systemUTC(), RANDOM), ROOTS, SETTINGS, Set.of("n1", "n2")::contains, new InMemoryHandshakeCounters());
    }

    private void assertMemberGetsIn() throws Exception {
        PeerConnection dialed = contexts("n2").connect("127.0.0.1", acceptor.localAddress().getPort(), "n1", WAIT);
        AcceptedPeer accepted = acceptor.accept();
        assertThat(accepted.peerId()).isEqualTo("n2");
        dialed.socket().close();
        accepted.socket().close();
    }

    private List<Socket> silentClients(String source, int count) throws IOException {
        List<Socket> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(silentClient(source));
        }
        return made;
    }

    /** Connects from {@code source} and sends nothing: the cheapest slow handshake. */
    private Socket silentClient(String source) throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(acceptor.localAddress(), (int) WAIT.toMillis());
        return socket;
    }

    private static void assertClosedAtOnce(Socket socket) throws IOException {
        // Well inside the deadline: a closed connection reads end-of-stream, a held one blocks.
        socket.setSoTimeout((int) DEADLINE.toMillis() / 2);
        assertThat(readOrReset(socket)).as("connection over the limit is closed before its deadline").isEqualTo(-1);
    }

    private static void assertStillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(100);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    /**
     * Reads until the server ends the connection: -1 at end of stream or on a reset. A TLS alert record the
     * server may send first (content type 21) is skipped: a server whose handshake timed out can close
     * with an alert, and that is still the connection ending. A read timeout (the server kept it open)
     * propagates and fails the test.
     */
    private static int readOrReset(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            int b = in.read();
            if (b == 21) {
                while (b != -1) {
                    b = in.read();
                }
            }
            return b;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
