package dev.ratchet.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.node.NoLeaderException;
import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.state.Member;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The member side of a join speaks the protocol and leaves the decision to the admission: a joiner gets
 * the roots only once admitted. Before incarnations, a node restarted empty under a member's id got them
 * here with no membership change at all (issue 12, item 2).
 */
class JoinServiceTest {

    private static final String TOKEN = "join-service-test-token-0123456789";
    private static final long NOW = 1_800_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final Member joiner = new Member("n3", "127.0.0.1:7003", "http://127.0.0.1:8003");
    private final JoinProtocol client = new JoinProtocol(TOKEN, new SecureRandom());
    private final FakeAdmission admission = new FakeAdmission();
    private final JoinService service = new JoinService(new JoinProtocol(TOKEN, new SecureRandom()), admission, clock,
            Duration.ofSeconds(1));

    @Test
    void anAdmittedJoinerGetsTheRootsAndTheMembers() throws Exception {
        JoinProtocol.JoinRequest request = client.request(joiner, "00ff00ff00ff00ff", NOW, false);
        JoinProtocol.JoinGrant grant = client.open(request, service.join(request));
        assertThat(new String(grant.serializedRoots(), StandardCharsets.UTF_8)).isEqualTo("roots");
        assertThat(admission.admitted).containsExactly("n3~00ff00ff00ff00ff");
        assertThat(service.admittedCount()).isEqualTo(1);
    }

    @Test
    void aJoinerTheLeaderWillNotAdmitGetsNothing() {
        admission.verdict = CompletableFuture.failedFuture(new NodeUnavailableException("n3 is a member the leader hears"));
        JoinProtocol.JoinRequest request = client.request(joiner, "00ff00ff00ff00ff", NOW, false);
        assertThatThrownBy(() -> service.join(request)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("leader hears");

        admission.verdict = CompletableFuture.failedFuture(new NoLeaderException("no leader"));
        JoinProtocol.JoinRequest again = client.request(joiner, "00ff00ff00ff00ff", NOW, false);
        assertThatThrownBy(() -> service.join(again)).isInstanceOf(NoLeaderException.class);

        admission.verdict = CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException("no"));
        JoinProtocol.JoinRequest third = client.request(joiner, "00ff00ff00ff00ff", NOW, false);
        assertThatThrownBy(() -> service.join(third)).isInstanceOf(JoinProtocol.JoinRefusedException.class);
        assertThat(service.refusedCount()).isEqualTo(1);
        assertThat(service.admittedCount()).isZero();
    }

    @Test
    void aRefreshIsOnlyForThisIncarnationOfAMember() throws Exception {
        admission.members.add("n3~00ff00ff00ff00ff");
        JoinProtocol.JoinRequest other = client.request(joiner, "1111111111111111", NOW, true);
        assertThatThrownBy(() -> service.join(other)).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("not a member");
        JoinProtocol.JoinRequest same = client.request(joiner, "00ff00ff00ff00ff", NOW, true);
        assertThat(client.open(same, service.join(same)).serializedRoots()).isNotEmpty();
        assertThat(admission.admitted).as("a refresh never changes membership").isEmpty();
    }

    private static final class FakeAdmission implements JoinService.Admission {
        final List<String> members = new ArrayList<>();
        final List<String> admitted = new ArrayList<>();
        CompletableFuture<?> verdict = CompletableFuture.completedFuture(null);

        @Override
        public boolean isMember(Member member, String incarnation) {
            return members.contains(RaftIds.of(member.id(), incarnation));
        }

        @Override
        public CompletableFuture<?> admit(Member member, String incarnation) {
            if (!verdict.isCompletedExceptionally()) {
                admitted.add(RaftIds.of(member.id(), incarnation));
            }
            return verdict;
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
