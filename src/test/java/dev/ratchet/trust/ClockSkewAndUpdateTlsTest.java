package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Clock skew within the grace, and switching roots while connections are open. */
class ClockSkewAndUpdateTlsTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant LEADER_NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Set<String> MEMBERS = Set.of("a", "b");

    /**
     * Worst case: the root was made by a leader at {@code LEADER_NOW} a moment ago, and node a's
     * clock is off by {@code skewGraces} x certGrace while b's is right. Both leaves are minted
     * with the skewed clocks.
     */
    @ParameterizedTest(name = "skew {0} x certGrace, a dials: {1}")
    @CsvSource({"1, true", "1, false", "-1, true", "-1, false"})
    void handshakesWithinTheGrace(int skewGraces, boolean aDials) throws Exception {
        TrustRoots roots = TrustRoots.of(
                Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 0), SETTINGS, LEADER_NOW, TestKeys.RANDOM));
        Instant skewed = LEADER_NOW.plus(SETTINGS.certGrace().multipliedBy(skewGraces));
        try (TlsNode a = new TlsNode("a", roots, SETTINGS, new TestKeys.MutableClock(skewed), MEMBERS);
                TlsNode b = new TlsNode("b", roots, SETTINGS, new TestKeys.MutableClock(LEADER_NOW), MEMBERS)) {
            TlsNode dialer = aDials ? a : b;
            TlsNode acceptor = aDials ? b : a;
            PeerConnection connection = dialer.dial(acceptor);
            assertThat(connection.attempts()).isEqualTo(1);
            assertThat(connection.peerNodeId()).isEqualTo(acceptor.id);
            await().atMost(TlsNode.TIMEOUT).until(() -> acceptor.accepted.size() == 1);
            TlsNode.closeQuietly(connection.socket());
        }
    }

    /** Control: twice the grace is beyond what the windows cover, so the same setup must fail. */
    @Test
    void refusesSkewBeyondTheGrace() throws Exception {
        TrustRoots roots = TrustRoots.of(
                Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 0), SETTINGS, LEADER_NOW, TestKeys.RANDOM));
        Instant early = LEADER_NOW.minus(SETTINGS.certGrace().multipliedBy(2));
        try (TlsNode a = new TlsNode("a", roots, SETTINGS, new TestKeys.MutableClock(early), MEMBERS);
                TlsNode b = new TlsNode("b", roots, SETTINGS, new TestKeys.MutableClock(LEADER_NOW), MEMBERS)) {
            assertThatThrownBy(() -> a.dial(b)).isInstanceOfSatisfying(PeerHandshakeException.class,
                    e -> assertThat(e.reason()).isEqualTo(HandshakeResult.NO_LEAF));
            assertThatThrownBy(() -> b.tls.connect("127.0.0.1", a.port(), "a", TlsNode.TIMEOUT, 2))
                    .isInstanceOfSatisfying(PeerHandshakeException.class,
                            e -> assertThat(e.reason()).isEqualTo(HandshakeResult.REJECTED_BY_PEER));
        }
    }

    @Test
    void updateSwitchesNewConnectionsAndKeepsOpenOnes() throws Exception {
        TrustRoot first = Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 1), SETTINGS,
                LEADER_NOW.minus(Duration.ofDays(40)), TestKeys.RANDOM);
        TrustRoot second = Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 2), SETTINGS,
                LEADER_NOW.minus(Duration.ofDays(10)), TestKeys.RANDOM);
        TestKeys.MutableClock clock = new TestKeys.MutableClock(LEADER_NOW);
        try (TlsNode a = new TlsNode("a", TrustRoots.of(first), SETTINGS, clock, MEMBERS);
                TlsNode b = new TlsNode("b", TrustRoots.of(first), SETTINGS, clock, MEMBERS)) {
            PeerConnection old = a.dial(b);
            assertThat(old.rootFingerprint()).isEqualTo(first.fingerprint());
            await().atMost(TlsNode.TIMEOUT).until(() -> b.accepted.size() == 1);

            // b moves to a list without the first root: a, still on the first, is now a stranger.
            b.tls.update(TrustRoots.of(second));
            assertThatThrownBy(() -> a.tls.connect("127.0.0.1", b.port(), "b", TlsNode.TIMEOUT, 2))
                    .isInstanceOf(PeerHandshakeException.class);

            a.tls.update(TrustRoots.of(second));
            PeerConnection fresh = a.dial(b);
            assertThat(fresh.rootFingerprint()).isEqualTo(second.fingerprint());
            assertThat(fresh.attempts()).isEqualTo(1);

            // The connection made under the first root still carries data both ways.
            PeerConnection oldAccepted = b.accepted.peek();
            exchange(old, oldAccepted);
            TlsNode.closeQuietly(old.socket());
            TlsNode.closeQuietly(fresh.socket());
        }
    }

    private static void exchange(PeerConnection one, PeerConnection other) throws IOException {
        one.socket().setSoTimeout((int) TlsNode.TIMEOUT.toMillis());
        other.socket().setSoTimeout((int) TlsNode.TIMEOUT.toMillis());
        one.socket().getOutputStream().write(7);
        one.socket().getOutputStream().flush();
        assertThat(other.socket().getInputStream().read()).isEqualTo(7);
        other.socket().getOutputStream().write(9);
        other.socket().getOutputStream().flush();
        assertThat(one.socket().getInputStream().read()).isEqualTo(9);
    }
}

