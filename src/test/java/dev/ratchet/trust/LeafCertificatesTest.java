package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeafCertificatesTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant CREATED = Instant.parse("2026-02-01T00:00:00Z");
    private static final TrustRoot ROOT =
            Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 0), SETTINGS, CREATED, TestKeys.RANDOM);

    private final TestKeys.MutableClock clock = new TestKeys.MutableClock(CREATED.plus(Duration.ofDays(1)));
    private final LeafCertificates leaves = new LeafCertificates(
            new NodeIdentity("node-1", List.of("127.0.0.1", "::1", "node1.example")), SETTINGS, clock, TestKeys.RANDOM);

    @Test
    void leafNamesTheNodeAndItsAddressesAndIsSignedByTheRoot() throws Exception {
        LeafCertificate leaf = leaves.leafFor(ROOT).orElseThrow();
        X509Certificate certificate = leaf.certificate();
        assertThat(NodeIdentity.nodeIdOf(certificate)).isEqualTo("node-1");
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
                .contains((Object) "ratchet://node/node-1", "127.0.0.1", "node1.example");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(Certificates.isSignedBy(certificate, ROOT.certificate().getPublicKey())).isTrue();
        assertThat(TrustRoots.of(ROOT).issuerOf(certificate)).contains(ROOT);
        assertThat(leaf.notBefore()).isEqualTo(clock.instant().minus(SETTINGS.certGrace()));
        assertThat(leaf.notAfter()).isEqualTo(clock.instant().plus(SETTINGS.leafValidity()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(leaf.rootFingerprint()).isEqualTo(ROOT.fingerprint());
    }

    @Test
    void cachesUntilHalfLifeThenMintsAgain() {
        LeafCertificate first = leaves.leafFor(ROOT).orElseThrow();
        clock.set(clock.instant().plus(SETTINGS.leafValidity().dividedBy(4)));
        assertThat(leaves.leafFor(ROOT)).containsSame(first);
        clock.set(clock.instant().plus(SETTINGS.leafValidity().dividedBy(2)));
        LeafCertificate second = leaves.leafFor(ROOT).orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
    }

    @Test
    void neverOutlivesItsRootAndNothingFromAnInvalidRoot() {
        clock.set(ROOT.notAfter().minus(Duration.ofDays(1)));
        LeafCertificate late = leaves.leafFor(ROOT).orElseThrow();
        assertThat(late.notAfter()).isEqualTo(ROOT.notAfter());
        assertThat(leaves.leafFor(ROOT)).containsSame(late);

        clock.set(ROOT.notAfter().plusSeconds(1));
        assertThat(leaves.leafFor(ROOT)).isEmpty();
        clock.set(ROOT.notBefore().minusSeconds(1));
        assertThat(leaves.leafFor(ROOT)).isEmpty();
    }

    @Test
    void identityRefusesBadIdsAndAddresses() {
        assertThatThrownBy(() -> new NodeIdentity("bad id", List.of())).hasMessageContaining("node id");
        assertThatThrownBy(() -> new NodeIdentity("x".repeat(65), List.of())).hasMessageContaining("node id");
        assertThatThrownBy(() -> new NodeIdentity("n1", List.of("not a host!"))).hasMessageContaining("not a host!");
        assertThatThrownBy(() -> new NodeIdentity("n1", java.util.Collections.nCopies(17, "127.0.0.1")))
                .hasMessageContaining("at most 16");
    }
}
