package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.JoinClient;
import dev.ratchet.join.JoinCredential;
import dev.ratchet.join.JoinProtocol;
import dev.ratchet.state.Member;
import dev.ratchet.trust.LeafCertificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.PeerConnection;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import dev.ratchet.trust.TrustSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13's revocable joins on a real three-node cluster (child JVMs): an impostor with a revoked join
 * token, a sniffed join request replayed at another member and at its own, and a removed member that
 * still holds its roots, its identity and a valid token trying a handshake (as another member's id), a
 * join and a refresh.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevokedJoinsClusterTest {

    private final SecureRandom random = new SecureRandom();
    private LocalCluster cluster;

    @BeforeAll
    void start() throws IOException {
        cluster = new LocalCluster("revoked-joins", 3, List.of()).start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> post(NodeProcess n, String path, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return n.send(b.build());
    }

    private static String mint(NodeProcess via) throws IOException, InterruptedException {
        HttpResponse<String> r = post(via, "/api/v1/admin/join-tokens", LocalCluster.ADMIN_TOKEN, "{\"ttl\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return LocalCluster.json(r.body()).path("token").asString();
    }

    private JoinProtocol.JoinGrant join(String token, Member self, String incarnation, NodeProcess via, boolean refresh)
            throws Exception {
        return new JoinClient(new JoinCredential(token, random)).join(self, incarnation, List.of(URI.create(via.baseUrl())),
                Timeouts.seconds(20), refresh);
    }

    @Test
    void anImpostorWithARevokedTokenGetsNothing() throws Exception {
        String token = mint(cluster.node(1));
        String id = token.substring(4, 16);
        HttpRequest delete = HttpRequest.newBuilder(cluster.node(1).url("/api/v1/admin/join-tokens/" + id))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).DELETE().build();
        assertThat(cluster.node(1).send(delete).statusCode()).isEqualTo(204);
        Member impostor = new Member("impostor", "127.0.0.1:9", "http://127.0.0.1:9");
        // Every member has applied the revocation once it answers for it; the impostor tries another one.
        await().atMost(Timeouts.seconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> join(token, impostor, "", cluster.node(2), false))
                        .isInstanceOf(JoinProtocol.JoinRefusedException.class).hasMessageContaining("does not match"));
        assertThat(LocalCluster.cluster(cluster.node(2)).toString()).doesNotContain("impostor");
    }

    @Test
    void aSniffedJoinRequestIsRefusedAtAnotherMemberAndWhenReplayed() throws Exception {
        String token = mint(cluster.node(1));
        JoinCredential credential = new JoinCredential(token, random);
        HttpResponse<String> c = post(cluster.node(1), "/api/v1/cluster/join/challenge", null,
                "{\"tokenId\":\"" + token.substring(4, 16) + "\"}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        JoinProtocol.Challenge challenge = tools.jackson.databind.json.JsonMapper.builder().build()
                .readValue(c.body(), JoinProtocol.Challenge.class);
        JoinCredential.Answer answer = credential.answer(challenge,
                new Member("sniffed", "127.0.0.1:9", "http://127.0.0.1:9"), "", true);
        String body = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(answer.request());
        for (NodeProcess other : List.of(cluster.node(2), cluster.node(3))) {
            HttpResponse<String> elsewhere = post(other, "/api/v1/cluster/join", null, body);
            assertThat(elsewhere.statusCode()).isEqualTo(403);
            assertThat(elsewhere.body()).contains("issued by n1").doesNotContain("BEGIN");
        }
        // At its own member the refresh is refused for what it is (not a member), spending the challenge...
        HttpResponse<String> first = post(cluster.node(1), "/api/v1/cluster/join", null, body);
        assertThat(first.statusCode()).isEqualTo(403);
        assertThat(first.body()).contains("not a member");
        // ... so the same bytes again meet no challenge at all.
        HttpResponse<String> replay = post(cluster.node(1), "/api/v1/cluster/join", null, body);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("unknown, used or expired");
    }

    @Test
    void aRemovedMemberCanNoLongerHandshakeJoinOrRefresh() throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        NodeProcess removed = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        NodeProcess remaining = cluster.nodes().stream().filter(n -> n != leader && n != removed).findFirst().orElseThrow();
        String token = mint(leader);
        Member self = new Member(removed.id(), "127.0.0.1:" + removed.peerPort(), removed.baseUrl());
        String incarnation = new IdentityFile(removed.dataDir().resolve("identity")).read().orElseThrow().incarnation();
        TrustRoots held = TrustRootsCodec.decode(Files.readAllBytes(removed.dataDir().resolve("trust").resolve("roots.bin")));

        // Before: with the roots it holds, the member can mint a leaf for the leader's id and shake hands.
        PeerConnection before = impersonate(held, leader.id(), remaining);
        assertThat(before.peerNodeId()).isEqualTo(remaining.id());
        before.socket().close();

        HttpRequest delete = HttpRequest.newBuilder(leader.url("/api/v1/admin/members/" + removed.id()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).DELETE().build();
        HttpResponse<String> answer = leader.send(delete);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Timeouts.seconds(20)).untilAsserted(() ->
                assertThat(LocalCluster.voters(remaining)).doesNotContain(removed.id()));

        // Handshake: no root it holds is trusted any more, whatever id its leaf names.
        await().atMost(Timeouts.seconds(20)).untilAsserted(() ->
                assertThatThrownBy(() -> impersonate(held, leader.id(), remaining).socket().close())
                        .isInstanceOf(IOException.class));
        // Join with its own identity and a valid token, at the leader and at a follower.
        for (NodeProcess via : List.of(leader, remaining)) {
            assertThatThrownBy(() -> join(token, self, incarnation, via, false))
                    .isInstanceOf(JoinProtocol.JoinRefusedException.class).hasMessageContaining("removed");
            assertThatThrownBy(() -> join(token, self, incarnation, via, true))
                    .isInstanceOf(JoinProtocol.JoinRefusedException.class).hasMessageContaining("not a member");
        }
        // The others keep working, on the new root.
        assertThat(remaining.put("/api/v1/kv/after/removal", "ok").statusCode()).isIn(200, 201);
    }

    /** A TLS connection to {@code target}'s peer port with a leaf for {@code claimedId} from {@code roots}. */
    private PeerConnection impersonate(TrustRoots roots, String claimedId, NodeProcess target) throws IOException {
        LeafCertificates leaves = new LeafCertificates(new NodeIdentity(claimedId, List.of("127.0.0.1")),
                TrustSettings.defaults(), Clock.systemUTC(), random);
        PeerTlsContexts tls = new PeerTlsContexts(leaves, roots, TrustSettings.defaults(), id -> true,
                (side, fingerprint, result) -> { });
        return tls.connect("127.0.0.1", target.peerPort(), target.id(), Duration.ofSeconds(5));
    }
}
