package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Junk on the peer port must not move the acceptor's root ratchet nor raise its "share no root"
 * error: only a dialer that refuses the certificate we present is evidence that another of our roots
 * might work (docs/trust.md, "What moves the acceptor's ratchet"). Each kind of junk is sent more often
 * than it takes the ratchet to leave the newest root and to wrap.
 */
class AcceptorJunkTlsTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final RootHistory HISTORY = new RootHistory(SETTINGS, START, SETTINGS.maxTrustRoots());
    private static final TrustRoots ROOTS = HISTORY.after(SETTINGS.maxTrustRoots());
    private static final Instant NOW = HISTORY.time(SETTINGS.maxTrustRoots()).plusSeconds(3600);
    private static final Set<String> MEMBERS = Set.of("n1", "n2");
    private static final TrustRoot FOREIGN = Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 40), SETTINGS,
            NOW.minusSeconds(86_400), TestKeys.RANDOM);
    /** Linger times roots, plus one linger: enough to wrap once and leave the newest root again. */
    private static final int JUNK = lingerFailures() * ROOTS.size() + lingerFailures();

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Logger tlsLog = Logger.getLogger(PeerTlsContexts.class.getName());
    private final Handler errorCatcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void catchErrors() {
        tlsLog.addHandler(errorCatcher);
    }

    @AfterEach
    void releaseErrors() {
        tlsLog.removeHandler(errorCatcher);
    }

    private static int lingerFailures() {
        return Math.max(ROOTS.size(), SETTINGS.rootListLimit());
    }

    /** One piece of junk sent at the acceptor's port. */
    @FunctionalInterface
    interface Junk {
        void send(int port) throws Exception;
    }

    static Stream<Arguments> junk() {
        return Stream.of(
                Arguments.of("random bytes", (Junk) port -> raw(port, randomBytes())),
                Arguments.of("an HTTP request", (Junk) port ->
                        raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of("a TCP connection closed at once", (Junk) port -> raw(port, new byte[0])),
                Arguments.of("TLS without a client certificate", (Junk) AcceptorJunkTlsTest::tlsWithoutCertificate),
                Arguments.of("a leaf from a root we do not hold", (Junk) port ->
                        assertThat(impostor(leaf(FOREIGN, "n2"), port)).isFalse()),
                Arguments.of("a leaf of our newest root naming a non-member", (Junk) port ->
                        assertThat(impostor(leaf(ROOTS.newest(), "n9"), port)).isFalse()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("junk")
    void junkLeavesTheRatchetOnTheNewestRoot(String name, Junk junk) throws Exception {
        try (TlsNode node = new TlsNode("n1", ROOTS, SETTINGS, new TestKeys.MutableClock(NOW), MEMBERS);
                TlsNode member = new TlsNode("n2", ROOTS, SETTINGS, new TestKeys.MutableClock(NOW), MEMBERS)) {
            for (int i = 0; i < JUNK; i++) {
                junk.send(node.port());
            }
            await().atMost(TlsNode.TIMEOUT).until(() -> node.counters.failures(HandshakeSide.SERVER) == JUNK);

            assertThat(presentedRoots(node)).as("roots the acceptor presented to junk")
                    .containsOnly(ROOTS.newest().fingerprint());
            assertThat(errors).as("share-no-root errors").isEmpty();
            PeerConnection connection = member.dial(node);
            assertThat(connection.attempts()).isEqualTo(1);
            PeerConnection accepted = node.accepted.poll(TlsNode.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(accepted).isNotNull();
            assertThat(accepted.rootFingerprint()).isEqualTo(ROOTS.newest().fingerprint());
            TlsNode.closeQuietly(connection.socket());
            TlsNode.closeQuietly(accepted.socket());
        }
    }

    /** The control: a dialer that refuses our leaf (it lacks our newest root) still moves the ratchet. */
    @Test
    void aDialerRefusingOurLeafMovesTheRatchet() throws Exception {
        try (TlsNode node = new TlsNode("n1", ROOTS, SETTINGS, new TestKeys.MutableClock(NOW), MEMBERS)) {
            for (int i = 0; i < lingerFailures(); i++) {
                assertThat(refusingDialer(leaf(ROOTS.newest(), "n2"), node.port())).isFalse();
            }
            await().atMost(TlsNode.TIMEOUT)
                    .until(() -> node.counters.failures(HandshakeSide.SERVER) == lingerFailures());
            assertThat(refusingDialer(leaf(ROOTS.newest(), "n2"), node.port())).isFalse();
            await().atMost(TlsNode.TIMEOUT).untilAsserted(() -> assertThat(node.counters.count(HandshakeSide.SERVER,
                    ROOTS.get(1).fingerprint(), HandshakeResult.REJECTED_BY_PEER)).isEqualTo(1));
        }
    }

    private static Set<String> presentedRoots(TlsNode node) {
        return node.counters.snapshot().keySet().stream()
                .filter(k -> k.side() == HandshakeSide.SERVER)
                .map(InMemoryHandshakeCounters.Key::rootFingerprint)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[64];
        TestKeys.RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Sends {@code bytes}, half-closes, and waits for the acceptor to hang up. */
    private static void raw(int port, byte[] bytes) throws IOException {
        try (Socket socket = dial(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain whatever the acceptor answers until it closes
            }
        } catch (java.net.SocketException reset) {
            // the acceptor may reset rather than close; either way it hung up
        }
    }

    private static void tlsWithoutCertificate(int port) throws Exception {
        assertThat(tlsClient(null, new TrustAll(), port)).isFalse();
    }

    private static boolean impostor(LeafCertificate leaf, int port) throws Exception {
        return tlsClient(leaf, new TrustAll(), port);
    }

    private static boolean refusingDialer(LeafCertificate leaf, int port) throws Exception {
        return tlsClient(leaf, new TrustNothing(), port);
    }

    /** A TLS 1.3 client; true only if the acceptor sent its "accepted" byte. */
    private static boolean tlsClient(LeafCertificate leaf, X509TrustManager trust, int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(leaf == null ? null : new KeyManager[] {new LeafKeyManager(leaf)}, new TrustManager[] {trust}, null);
        try (Socket plain = dial(port)) {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            return socket.getInputStream().read() == PeerTlsContexts.ACCEPTED;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Socket dial(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TlsNode.TIMEOUT.toMillis());
        socket.setSoTimeout((int) TlsNode.TIMEOUT.toMillis());
        return socket;
    }

    private static LeafCertificate leaf(TrustRoot root, String nodeId) {
        return new LeafCertificates(new NodeIdentity(nodeId, List.of("127.0.0.1")), SETTINGS,
                new TestKeys.MutableClock(NOW), TestKeys.RANDOM).leafFor(root).orElseThrow();
    }

    private static class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** What a dialer that missed rotations does with our leaf: refuses it. */
    private static final class TrustNothing extends TrustAll {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("we hold none of your roots");
        }
    }
}
