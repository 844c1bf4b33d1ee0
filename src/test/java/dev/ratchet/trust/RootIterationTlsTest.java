package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's regression, over real TLS on loopback: a node that missed rotations (one, two, or
 * maxTrustRoots of them) still reaches a root it shares with a peer that has pruned older roots,
 * whichever side dials, within len(roots)^2 attempts.
 */
class RootIterationTlsTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int WARMUP = 4;
    private static final RootHistory HISTORY = new RootHistory(SETTINGS, START, WARMUP + SETTINGS.maxTrustRoots());
    private static final Set<String> MEMBERS = Set.of("current", "stale");

    static Stream<Arguments> missedRotations() {
        return Stream.of(1, 2, SETTINGS.maxTrustRoots())
                .flatMap(missed -> Stream.of(Arguments.of(missed, true), Arguments.of(missed, false)));
    }

    @ParameterizedTest(name = "missed {0} rotations, stale node dials: {1}")
    @MethodSource("missedRotations")
    void staleNodeFindsACommonRoot(int missed, boolean staleDials) throws Exception {
        TrustRoots stale = HISTORY.after(WARMUP);
        TrustRoots current = HISTORY.after(WARMUP + missed);
        Instant now = HISTORY.time(WARMUP + missed);
        assertThat(current.roots()).as("the peer pruned the stale node's oldest root")
                .doesNotContain(stale.get(stale.size() - 1));
        assertThat(current.newest()).isNotIn(stale.roots());
        TestKeys.MutableClock clock = new TestKeys.MutableClock(now);
        try (TlsNode staleNode = new TlsNode("stale", stale, SETTINGS, clock, MEMBERS);
                TlsNode currentNode = new TlsNode("current", current, SETTINGS, clock, MEMBERS)) {
            TlsNode dialer = staleDials ? staleNode : currentNode;
            TlsNode acceptor = staleDials ? currentNode : staleNode;
            int width = Math.max(stale.size(), current.size());

            PeerConnection connection = dialer.dial(acceptor);

            assertThat(connection.attempts()).as("attempts").isBetween(1, width * width);
            assertThat(connection.attempts()).as("the newest roots differ, so the first try must fail")
                    .isGreaterThan(1);
            assertThat(current.indexOf(connection.rootFingerprint())).isNotNegative();
            assertThat(stale.indexOf(connection.rootFingerprint())).isNotNegative();
            assertThat(connection.peerNodeId()).isEqualTo(acceptor.id);
            assertThat(dialer.counters.total(HandshakeSide.CLIENT, HandshakeResult.OK)).isEqualTo(1);
            assertThat(dialer.counters.failures(HandshakeSide.CLIENT)).isEqualTo(connection.attempts() - 1);
            org.awaitility.Awaitility.await().atMost(TlsNode.TIMEOUT).untilAsserted(() -> {
                assertThat(acceptor.counters.total(HandshakeSide.SERVER, HandshakeResult.OK)).isEqualTo(1);
                assertThat(acceptor.accepted).singleElement().extracting(PeerConnection::peerNodeId)
                        .isEqualTo(dialer.id);
            });
            assertThat(acceptor.counters.failures(HandshakeSide.SERVER)).isEqualTo(connection.attempts() - 1);

            // Both ratchets now rest on the common root: the next connection needs one attempt.
            PeerConnection again = dialer.dial(acceptor);
            assertThat(again.attempts()).isEqualTo(1);
            assertThat(again.rootFingerprint()).isEqualTo(connection.rootFingerprint());
            TlsNode.closeQuietly(connection.socket());
            TlsNode.closeQuietly(again.socket());
        }
    }

    /**
     * The case the seed's rule (acceptor lingers len(roots) failures) never solves: the dialer holds
     * four roots, the acceptor two, and only one is shared. Lingering maxTrustRoots + 1 meets.
     */
    @org.junit.jupiter.api.Test
    void dialerWithMoreRootsThanTheAcceptorStillMeets() throws Exception {
        Instant now = START.plus(java.time.Duration.ofDays(200));
        TrustRoot[] made = new TrustRoot[5];
        for (int i = 0; i < made.length; i++) {
            made[i] = Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 20 + i), SETTINGS,
                    now.minus(java.time.Duration.ofDays(10L * (made.length - i))), TestKeys.RANDOM);
        }
        TrustRoot common = made[4];
        TrustRoots dialerRoots = TrustRoots.of(common, made[2], made[1], made[0]);
        TrustRoots acceptorRoots = TrustRoots.of(made[3], common);
        TestKeys.MutableClock clock = new TestKeys.MutableClock(now);
        try (TlsNode dialer = new TlsNode("stale", dialerRoots, SETTINGS, clock, MEMBERS);
                TlsNode acceptor = new TlsNode("current", acceptorRoots, SETTINGS, clock, MEMBERS)) {
            PeerConnection connection = dialer.dial(acceptor);
            int width = SETTINGS.maxTrustRoots() + 1;
            assertThat(connection.attempts()).isBetween(2, width * width);
            assertThat(connection.rootFingerprint()).isEqualTo(common.fingerprint());
            TlsNode.closeQuietly(connection.socket());
        }
    }
}
