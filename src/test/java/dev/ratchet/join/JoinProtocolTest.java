package dev.ratchet.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.state.Member;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proof and the sealed answer, without a member around them (challenges are JoinServiceTest's). */
class JoinProtocolTest {

    private static final String TOKEN = "0123456789abcdef-cluster-token";
    private static final int ITERATIONS = 1_000;
    private final SecureRandom random = new SecureRandom();
    private final Member joiner = new Member("n4", "127.0.0.1:7004", "http://127.0.0.1:8004");
    private final byte[] salt = new byte[16];
    private final JoinProtocol.Challenge challenge = new JoinProtocol.Challenge("n1",
            Base64.getEncoder().encodeToString(new byte[32]), Base64.getEncoder().encodeToString(salt), ITERATIONS, 30_000);
    private final JoinCredential node = new JoinCredential(TOKEN, ITERATIONS, random);
    private final byte[] clusterKey = JoinKeys.derive(TOKEN, salt, ITERATIONS);

    @Test
    void aTokenHolderProvesItAndOpensTheGrant() {
        JoinCredential.Answer answer = node.answer(challenge, joiner, "", false);
        assertThat(JoinProtocol.requireWellFormed(answer.request())).isEqualTo(joiner);
        assertThat(JoinProtocol.macMatches(clusterKey, answer.request())).isTrue();
        JoinProtocol.JoinResponse response = JoinProtocol.seal(clusterKey, answer.request(), new byte[] {1, 2, 3, 4},
                List.of(joiner), random);
        JoinProtocol.JoinGrant grant = answer.open(response);
        assertThat(grant.serializedRoots()).containsExactly(1, 2, 3, 4);
        assertThat(grant.members()).containsExactly(joiner);
        assertThat(response.ciphertext()).doesNotContain("AQIDBA"); // the roots never travel in clear
    }

    @Test
    void theKeyIsTheSlowKdfOfTheTokenSoTheSaltAndIterationsMatter() {
        assertThat(JoinKeys.derive(TOKEN, salt, ITERATIONS)).isNotEqualTo(JoinKeys.derive(TOKEN, salt, ITERATIONS + 1));
        byte[] otherSalt = salt.clone();
        otherSalt[0] = 1;
        assertThat(JoinKeys.derive(TOKEN, salt, ITERATIONS)).isNotEqualTo(JoinKeys.derive(TOKEN, otherSalt, ITERATIONS));
        assertThat(JoinKeys.BOOTSTRAP_ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }

    @Test
    void aWrongTokenIsRefusedBothWays() {
        JoinCredential impostor = new JoinCredential("another-token-of-16+chars", ITERATIONS, random);
        assertThat(JoinProtocol.macMatches(clusterKey, impostor.answer(challenge, joiner, "", false).request())).isFalse();
        JoinCredential.Answer honest = node.answer(challenge, joiner, "", false);
        byte[] impostorKey = JoinKeys.derive("another-token-of-16+chars", salt, ITERATIONS);
        JoinProtocol.JoinResponse fake = JoinProtocol.seal(impostorKey, honest.request(), new byte[] {9}, List.of(), random);
        assertThatThrownBy(() -> honest.open(fake)).hasMessageContaining("does not authenticate");
    }

    @Test
    void aJoinerRefusesAChallengeAskingForACheapKdf() {
        JoinCredential production = new JoinCredential("weak-bootstrap-token", random);
        assertThatThrownBy(() -> production.answer(challenge, joiner, "", false))
                .isInstanceOf(JoinProtocol.JoinRefusedException.class).hasMessageContaining("KDF iterations");
        JoinCredential minted = new JoinCredential("rjt_0123456789ab." + "A".repeat(43), random);
        assertThat(minted.challengeRequest().tokenId()).isEqualTo("0123456789ab");
        assertThat(production.challengeRequest().tokenId()).isNull();
    }

    @Test
    void everyFieldIsCoveredByTheMac() {
        JoinProtocol.JoinRequest r = node.answer(challenge, joiner, "0123456789abcdef", true).request();
        List<JoinProtocol.JoinRequest> tampered = List.of(
                new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), r.issuer(), r.challenge(),
                        r.tokenId(), r.joinerNonce(), r.mac(), false, r.incarnation()),
                new JoinProtocol.JoinRequest(r.nodeId(), "10.0.0.1:1", r.apiUrl(), r.issuer(), r.challenge(),
                        r.tokenId(), r.joinerNonce(), r.mac(), true, r.incarnation()),
                new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), "n2", r.challenge(),
                        r.tokenId(), r.joinerNonce(), r.mac(), true, r.incarnation()),
                new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), r.issuer(), r.challenge(),
                        "0123456789ab", r.joinerNonce(), r.mac(), true, r.incarnation()),
                new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), r.issuer(), r.challenge(),
                        r.tokenId(), r.joinerNonce(), r.mac(), true, "fedcba9876543210"),
                new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), r.issuer(), r.challenge(),
                        r.tokenId(), r.joinerNonce(), r.mac(), true, null));
        assertThat(JoinProtocol.macMatches(clusterKey, r)).isTrue();
        for (JoinProtocol.JoinRequest t : tampered) {
            assertThat(JoinProtocol.macMatches(clusterKey, t)).as(t.toString()).isFalse();
        }
    }

    @Test
    void malformedRequestsGetClearRefusals() {
        assertThatThrownBy(() -> JoinProtocol.requireWellFormed(null)).hasMessageContaining("missing");
        JoinProtocol.JoinRequest junk = new JoinProtocol.JoinRequest("n4", "x:1", "http://y:1", "n1", "%%%", null,
                "@@@", "@@@", false, null);
        assertThatThrownBy(() -> JoinProtocol.requireWellFormed(junk)).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("base64");
        JoinProtocol.JoinRequest r = node.answer(challenge, joiner, "", false).request();
        JoinProtocol.JoinRequest badIncarnation = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(),
                r.issuer(), r.challenge(), r.tokenId(), r.joinerNonce(), r.mac(), false, "NOT~valid");
        assertThatThrownBy(() -> JoinProtocol.requireWellFormed(badIncarnation)).hasMessageContaining("incarnation");
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
