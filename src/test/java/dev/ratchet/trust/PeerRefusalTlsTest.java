package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that must never get in: a leaf from a foreign root, from an expired or a not-yet-valid
 * root the node still lists, or naming another node. Refused on both sides, every time, counted.
 */
class PeerRefusalTlsTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final int TRIES = 3;
    private static final Set<String> MEMBERS = Set.of("n1", "n2");

    private static final TrustRoot CURRENT = root(1, NOW.minus(Duration.ofDays(10)));
    private static final TrustRoot FOREIGN = root(2, NOW.minus(Duration.ofDays(5)));
    private static final TrustRoot EXPIRED = root(3, NOW.minus(SETTINGS.rootCertExpire()).minus(Duration.ofDays(2)));
    private static final TrustRoot FUTURE = root(4, NOW.plus(Duration.ofDays(2)));
    /** The node under test lists the expired and the future root too: only validity must refuse them. */
    private static final TrustRoots GOOD_ROOTS = TrustRoots.of(CURRENT, EXPIRED, FUTURE);

    private static TrustRoot root(int key, Instant createdAt) {
        return Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, key), SETTINGS, createdAt, TestKeys.RANDOM);
    }

    /** A leaf from {@code root} naming {@code nodeId}, minted when the root was valid. */
    private static LeafCertificate leaf(TrustRoot root, String nodeId) {
        Instant mintedAt = root.notBefore().plus(SETTINGS.certGrace()).plusSeconds(60);
        return new LeafCertificates(new NodeIdentity(nodeId, List.of("127.0.0.1")), SETTINGS,
                new TestKeys.MutableClock(mintedAt), TestKeys.RANDOM).leafFor(root).orElseThrow();
    }

    static Stream<Arguments> impostors() {
        return Stream.of(
                Arguments.of("foreign root", leaf(FOREIGN, "n2"), HandshakeResult.UNKNOWN_ROOT),
                Arguments.of("expired root", leaf(EXPIRED, "n2"), HandshakeResult.EXPIRED),
                Arguments.of("not-yet-valid root", leaf(FUTURE, "n2"), HandshakeResult.NOT_YET_VALID),
                Arguments.of("SAN names another node", leaf(CURRENT, "n9"), HandshakeResult.WRONG_IDENTITY));
    }

    @ParameterizedTest(name = "{0}: refused when it dials")
    @MethodSource("impostors")
    void acceptorRefusesEveryTime(String name, LeafCertificate leaf, HandshakeResult reason)
            throws Exception {
        try (TlsNode node = new TlsNode("n1", GOOD_ROOTS, SETTINGS, new TestKeys.MutableClock(NOW), MEMBERS);
                Impostor impostor = new Impostor(leaf)) {
            for (int i = 0; i < TRIES; i++) {
                assertThat(impostor.dial(node.port())).as("impostor accepted on try %d", i).isFalse();
            }
            await().atMost(TlsNode.TIMEOUT).untilAsserted(() ->
                    assertThat(node.counters.total(HandshakeSide.SERVER, reason)).isEqualTo(TRIES));
            assertThat(node.accepted).isEmpty();
            assertThat(node.acceptFailures).hasValue(TRIES);
            assertThat(node.counters.total(HandshakeSide.SERVER, HandshakeResult.OK)).isZero();
            assertThat(node.counters.count(HandshakeSide.SERVER, CURRENT.fingerprint(), reason)).isEqualTo(TRIES);
        }
    }

    @ParameterizedTest(name = "{0}: refused when dialed")
    @MethodSource("impostors")
    void dialerRefusesEveryTime(String name, LeafCertificate leaf, HandshakeResult reason)
            throws Exception {
        // Dialing, the node expects member n2; the impostor's leaf names n2 (bad root) or n9 (wrong node).
        String expected = "n2";
        try (TlsNode node = new TlsNode("n1", GOOD_ROOTS, SETTINGS, new TestKeys.MutableClock(NOW), MEMBERS);
                Impostor impostor = new Impostor(leaf)) {
            int port = impostor.listen();
            for (int i = 0; i < TRIES; i++) {
                assertThatThrownBy(() -> node.tls.connect("127.0.0.1", port, expected, TlsNode.TIMEOUT, 2))
                        .isInstanceOfSatisfying(PeerHandshakeException.class, e -> {
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.attempts()).isEqualTo(2);
                        });
            }
            assertThat(node.counters.total(HandshakeSide.CLIENT, reason)).isEqualTo(2L * TRIES);
            assertThat(node.counters.count(HandshakeSide.CLIENT, CURRENT.fingerprint(), reason)).isEqualTo(2L * TRIES);
            assertThat(node.counters.total(HandshakeSide.CLIENT, HandshakeResult.OK)).isZero();
            assertThat(impostor.handshakesSeen).hasValue(2 * TRIES);
        }
    }
}
