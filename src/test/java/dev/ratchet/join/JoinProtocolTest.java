package dev.ratchet.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.state.Member;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinProtocolTest {

    private static final String TOKEN = "0123456789abcdef-cluster-token";
    private final Member joiner = new Member("n4", "127.0.0.1:7004", "http://127.0.0.1:8004");
    private final JoinProtocol cluster = new JoinProtocol(TOKEN, new SecureRandom());
    private final JoinProtocol node = new JoinProtocol(TOKEN, new SecureRandom());
    private final long now = 1_800_000_000_000L;

    @Test
    void aTokenHolderJoinsAndOpensTheGrant() {
        JoinProtocol.JoinRequest request = node.request(joiner, "", now, false);
        assertThat(cluster.verify(request, now + 1000)).isEqualTo(joiner);
        byte[] roots = {1, 2, 3, 4};
        JoinProtocol.JoinResponse response = cluster.grant(request, roots, List.of(joiner));
        JoinProtocol.JoinGrant grant = node.open(request, response);
        assertThat(grant.serializedRoots()).containsExactly(1, 2, 3, 4);
        assertThat(grant.members()).containsExactly(joiner);
        assertThat(response.ciphertext()).doesNotContain("AQIDBA"); // the roots never travel in clear
    }

    @Test
    void aWrongTokenIsRefusedBothWays() {
        JoinProtocol impostor = new JoinProtocol("another-token-of-16+chars", new SecureRandom());
        assertThatThrownBy(() -> cluster.verify(impostor.request(joiner, "", now, false), now))
                .hasMessageContaining("join token does not match");
        JoinProtocol.JoinRequest honest = node.request(joiner, "", now, false);
        JoinProtocol.JoinResponse fake = impostor.grant(honest, new byte[] {9}, List.of());
        assertThatThrownBy(() -> node.open(honest, fake)).hasMessageContaining("does not authenticate");
    }

    @Test
    void tamperingSkewAndReplayAreRefused() {
        JoinProtocol.JoinRequest r = node.request(joiner, "", now, true);
        JoinProtocol.JoinRequest escalated = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(),
                r.timestampMillis(), r.nonce(), r.mac(), false, null);
        assertThatThrownBy(() -> cluster.verify(escalated, now)).hasMessageContaining("does not match");
        JoinProtocol.JoinRequest moved = new JoinProtocol.JoinRequest(r.nodeId(), "10.0.0.1:1", r.apiUrl(),
                r.timestampMillis(), r.nonce(), r.mac(), true, null);
        assertThatThrownBy(() -> cluster.verify(moved, now)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> cluster.verify(r, now + JoinProtocol.MAX_CLOCK_SKEW_MILLIS + 1))
                .hasMessageContaining("5 minutes");
        assertThat(cluster.verify(r, now)).isEqualTo(joiner);
        assertThatThrownBy(() -> cluster.verify(r, now)).hasMessageContaining("replayed");
    }

    @Test
    void theIncarnationIsCoveredByTheMacAndAbsentMeansLegacy() {
        JoinProtocol.JoinRequest r = node.request(joiner, "0123456789abcdef", now, false);
        assertThat(r.incarnationOrLegacy()).isEqualTo("0123456789abcdef");
        JoinProtocol.JoinRequest swapped = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(),
                r.timestampMillis(), r.nonce(), r.mac(), false, "fedcba9876543210");
        assertThatThrownBy(() -> cluster.verify(swapped, now)).hasMessageContaining("does not match");
        JoinProtocol.JoinRequest dropped = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(),
                r.timestampMillis(), r.nonce(), r.mac(), false, null);
        assertThatThrownBy(() -> cluster.verify(dropped, now)).hasMessageContaining("does not match");
        JoinProtocol.JoinRequest bad = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(),
                r.timestampMillis(), r.nonce(), r.mac(), false, "NOT~valid");
        assertThatThrownBy(() -> cluster.verify(bad, now)).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("incarnation");
        assertThat(cluster.verify(r, now)).isEqualTo(joiner);
        // A joiner from before incarnations sends none: it is the legacy incarnation.
        JoinProtocol.JoinRequest legacy = node.request(joiner, "", now, false);
        assertThat(legacy.incarnation()).isNull();
        assertThat(cluster.verify(legacy, now)).isEqualTo(joiner);
    }

    @Test
    void malformedRequestsGetClearRefusals() {
        assertThatThrownBy(() -> cluster.verify(null, now)).hasMessageContaining("missing");
        JoinProtocol.JoinRequest junk = new JoinProtocol.JoinRequest("n4", "x", "y", now, "%%%", "@@@", false, null);
        assertThatThrownBy(() -> cluster.verify(junk, now)).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void memberAddressesAreCheckedBeforeTheyReachTheLog() {
        assertThatThrownBy(() -> new Member("n5", "127.0.0.1", "http://h:1")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> new Member("n5", "127.0.0.1:99999", "http://h:1")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> new Member("n5", "127.0.0.1:x", "http://h:1")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> new Member("n5", "a b:1", "http://h:1")).hasMessageContaining("invalid host");
        assertThatThrownBy(() -> new Member("n5", "h:1", "ftp://h:1")).hasMessageContaining("http(s)");
        assertThat(new Member("n5", "[::1]:7000", "https://n5.example:8443").peerAddress()).isEqualTo("[::1]:7000");
    }
}
