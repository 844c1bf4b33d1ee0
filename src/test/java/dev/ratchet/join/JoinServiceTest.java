package dev.ratchet.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.node.NoLeaderException;
import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.state.JoinTokenRecord;
import dev.ratchet.state.Member;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The member side of a join: one-time challenges bound to the member that issued them, minted and
 * bootstrap tokens, and the admission's verdict. A joiner gets the roots only once admitted.
 */
class JoinServiceTest {

    private static final String TOKEN = "join-service-test-token-0123456789";
    private static final int ITERATIONS = 1_000;
    private static final long NOW = 1_800_000_000_000L;
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(NOW);
    private final Member joiner = new Member("n3", "127.0.0.1:7003", "http://127.0.0.1:8003");
    private final JoinCredential client = new JoinCredential(TOKEN, ITERATIONS, random);
    private final FakeAdmission admission = new FakeAdmission();
    private final JoinService service = member("n1");
    private final JoinService other = member("n2");

    private JoinService member(String id) {
        return new JoinService(id, new BootstrapKey(TOKEN, random, ITERATIONS), admission, clock, Duration.ofSeconds(1), random);
    }

    private JoinCredential.Answer answer(JoinService at, JoinCredential credential, String incarnation, boolean refresh) {
        return credential.answer(at.challenge(credential.challengeRequest()), joiner, incarnation, refresh);
    }

    @Test
    void anAdmittedJoinerGetsTheRootsAndTheMembers() throws Exception {
        JoinCredential.Answer a = answer(service, client, "00ff00ff00ff00ff", false);
        JoinProtocol.JoinGrant grant = a.open(service.join(a.request()));
        assertThat(new String(grant.serializedRoots(), StandardCharsets.UTF_8)).isEqualTo("roots");
        assertThat(admission.admitted).containsExactly("n3~00ff00ff00ff00ff with bootstrap");
        assertThat(service.admittedCount()).isEqualTo(1);
    }

    @Test
    void aSniffedRequestCannotBeReplayedHereNorAtAnotherMember() throws Exception {
        JoinCredential.Answer a = answer(service, client, "00ff00ff00ff00ff", false);
        service.join(a.request());
        assertThatThrownBy(() -> service.join(a.request())).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("unknown, used or expired");
        JoinCredential.Answer fresh = answer(service, client, "00ff00ff00ff00ff", false);
        assertThatThrownBy(() -> other.join(fresh.request())).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("issued by n1");
        // Relabelled for n2, the MAC no longer holds, and n2 never issued that challenge anyway.
        JoinProtocol.JoinRequest r = fresh.request();
        JoinProtocol.JoinRequest relabelled = new JoinProtocol.JoinRequest(r.nodeId(), r.peerAddress(), r.apiUrl(), "n2",
                r.challenge(), r.tokenId(), r.joinerNonce(), r.mac(), r.refreshOnly(), r.incarnation());
        assertThatThrownBy(() -> other.join(relabelled)).hasMessageContaining("unknown, used or expired");
        assertThat(admission.admitted).hasSize(1);
    }

    @Test
    void anExpiredChallengeIsRefusedAndOutstandingOnesAreBounded() {
        JoinCredential.Answer a = answer(service, client, "", false);
        clock.advance(JoinChallenges.TTL);
        assertThatThrownBy(() -> service.join(a.request())).hasMessageContaining("unknown, used or expired");
        for (int i = 0; i < JoinChallenges.MAX_OUTSTANDING; i++) {
            service.challenge(null);
        }
        assertThatThrownBy(() -> service.challenge(null)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("too many join challenges");
        clock.advance(JoinChallenges.TTL);
        assertThat(service.challenge(null).nonce()).isNotNull();
        assertThat(service.outstandingChallenges()).isEqualTo(1);
    }

    @Test
    void aWrongTokenIsRefusedAndSpendsTheChallenge() {
        JoinCredential impostor = new JoinCredential("not-the-token-but-long-enough", ITERATIONS, random);
        JoinCredential.Answer a = answer(service, impostor, "", false);
        assertThatThrownBy(() -> service.join(a.request())).hasMessageContaining("join token does not match");
        assertThat(service.refusedCount()).isEqualTo(1);
        assertThat(service.outstandingChallenges()).isZero();
    }

    @Test
    void aMintedTokenAdmitsUntilRevokedOrExpired() throws Exception {
        String token = JoinTokenFormat.of("0123456789ab", "S".repeat(JoinTokenFormat.SECRET_LENGTH));
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        admission.tokens.put("0123456789ab", new JoinTokenRecord("0123456789ab", salt, ITERATIONS,
                JoinKeys.derive(token, salt, ITERATIONS), NOW - 1, NOW + 60_000, 0, List.of()));
        JoinCredential minted = new JoinCredential(token, ITERATIONS, random);
        JoinProtocol.Challenge c = service.challenge(minted.challengeRequest());
        assertThat(c.salt()).isEqualTo(JoinCredential.encodeSalt(salt));
        JoinCredential.Answer a = minted.answer(c, joiner, "", false);
        a.open(service.join(a.request()));
        assertThat(admission.admitted).containsExactly("n3 with 0123456789ab");

        JoinCredential.Answer beforeRevoke = answer(service, minted, "", false);
        admission.tokens.remove("0123456789ab");
        assertThatThrownBy(() -> service.join(beforeRevoke.request())).hasMessageContaining("was revoked");
        // Revoked before the challenge: the member no longer knows the id and challenges for the bootstrap key.
        JoinCredential.Answer afterRevoke = answer(service, minted, "", false);
        assertThatThrownBy(() -> service.join(afterRevoke.request())).hasMessageContaining("does not match");

        admission.tokens.put("0123456789ab", new JoinTokenRecord("0123456789ab", salt, ITERATIONS,
                JoinKeys.derive(token, salt, ITERATIONS), NOW - 10, NOW + 10, 0, List.of()));
        clock.advance(Duration.ofMillis(10));
        JoinCredential.Answer late = answer(service, minted, "", false);
        assertThatThrownBy(() -> service.join(late.request())).hasMessageContaining("has expired");
        assertThat(admission.admitted).hasSize(1);
    }

    @Test
    void aRetiredBootstrapTokenAdmitsNoOneNotEvenForARefresh() {
        admission.retired = true;
        admission.members.add("n3~00ff00ff00ff00ff");
        for (boolean refresh : new boolean[] {false, true}) {
            JoinCredential.Answer a = answer(service, client, "00ff00ff00ff00ff", refresh);
            assertThatThrownBy(() -> service.join(a.request())).hasMessageContaining("retired");
        }
        assertThat(admission.admitted).isEmpty();
    }

    @Test
    void aJoinerTheLeaderWillNotAdmitGetsNothing() {
        admission.verdict = CompletableFuture.failedFuture(new NodeUnavailableException("n3 is a member the leader hears"));
        JoinCredential.Answer a = answer(service, client, "00ff00ff00ff00ff", false);
        assertThatThrownBy(() -> service.join(a.request())).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("leader hears");

        admission.verdict = CompletableFuture.failedFuture(new NoLeaderException("no leader"));
        JoinCredential.Answer again = answer(service, client, "00ff00ff00ff00ff", false);
        assertThatThrownBy(() -> service.join(again.request())).isInstanceOf(NoLeaderException.class);

        admission.verdict = CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException("join token x has no uses left"));
        JoinCredential.Answer third = answer(service, client, "00ff00ff00ff00ff", false);
        assertThatThrownBy(() -> service.join(third.request())).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("no uses left");
        assertThat(service.refusedCount()).isEqualTo(1);
        assertThat(service.admittedCount()).isZero();
    }

    @Test
    void aRefreshIsOnlyForThisIncarnationOfAMember() throws Exception {
        admission.members.add("n3~00ff00ff00ff00ff");
        JoinCredential.Answer other = answer(service, client, "1111111111111111", true);
        assertThatThrownBy(() -> service.join(other.request())).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("not a member");
        JoinCredential.Answer same = answer(service, client, "00ff00ff00ff00ff", true);
        assertThat(same.open(service.join(same.request())).serializedRoots()).isNotEmpty();
        assertThat(admission.admitted).as("a refresh never changes membership").isEmpty();
    }

    private static final class MutableClock extends Clock {
        private long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static final class FakeAdmission implements JoinService.Admission {
        final List<String> members = new ArrayList<>();
        final List<String> admitted = new ArrayList<>();
        final Map<String, JoinTokenRecord> tokens = new HashMap<>();
        boolean retired;
        CompletableFuture<?> verdict = CompletableFuture.completedFuture(null);

        @Override
        public boolean isMember(Member member, String incarnation) {
            return members.contains(RaftIds.of(member.id(), incarnation));
        }

        @Override
        public CompletableFuture<?> admit(Member member, String incarnation, String tokenId) {
            if (!verdict.isCompletedExceptionally()) {
                admitted.add(RaftIds.of(member.id(), incarnation) + " with " + (tokenId == null ? "bootstrap" : tokenId));
            }
            return verdict;
        }

        @Override
        public JoinTokenRecord joinToken(String id) {
            return tokens.get(id);
        }

        @Override
        public boolean bootstrapRetired() {
            return retired;
        }

        @Override
        public byte[] roots() {
            return "roots".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<Member> members() {
            return List.of();
        }
    }
}
