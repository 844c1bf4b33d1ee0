package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * API tokens on a real three-node cluster (child JVMs): a token created through one node works on every
 * node once replicated, anonymous writes are refused ({@code ratchet.api.anonymous=read}), a token created
 * while a node was down reaches it when it comes back (through the log or a snapshot: snapshots every 10
 * entries here), and a revocation made on one node is refused by all. About a minute, most of it start-up.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenClusterTest {

    private LocalCluster cluster;

    @BeforeAll
    void start() throws IOException {
        cluster = new LocalCluster("tokens", 3, List.of("--ratchet.api.anonymous=read",
                "--ratchet.raft.snapshot-entries=10")).start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> send(NodeProcess n, String method, String path, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return n.send(b.build());
    }

    private static String createToken(NodeProcess via, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(via, "POST", "/api/v1/admin/tokens", LocalCluster.ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"grants\":[\"kv:readwrite:app/\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return LocalCluster.json(r.body()).path("token").asString();
    }

    private void awaitStatusOnEveryNode(String method, String path, String bearer, String body, int status) {
        for (NodeProcess n : cluster.nodes()) {
            await(n.id() + " answers " + status).atMost(Timeouts.seconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> send(n, method, path, bearer, body).statusCode() == status);
        }
    }

    @Test
    void tokensReplicateReachARestartedNodeAndRevokeEverywhere() throws Exception {
        String token = createToken(cluster.node(2), "everywhere");
        assertThat(send(cluster.node(3), "PUT", "/api/v1/kv/app/anon", null, "x").statusCode()).isEqualTo(401);
        awaitStatusOnEveryNode("PUT", "/api/v1/kv/app/by-token", token, "\"v\"", 200);
        assertThat(send(cluster.node(1), "PUT", "/api/v1/kv/other/by-token", token, "\"v\"").statusCode()).isEqualTo(403);
        assertThat(send(cluster.node(1), "GET", "/api/v1/kv/app/by-token", null, null).statusCode())
                .as("anonymous reads are allowed here").isEqualTo(200);

        NodeProcess away = cluster.nodes().stream().filter(n -> n != cluster.awaitLeader()).findFirst().orElseThrow();
        away.stop();
        String later = createToken(cluster.awaitLeader(), "created-while-away");
        for (int i = 0; i < 24; i++) {
            assertThat(send(cluster.awaitLeader(), "PUT", "/api/v1/kv/app/churn-" + i, later, "\"v\"").statusCode())
                    .isIn(200, 201);
        }
        away.start();
        cluster.awaitReady(away);
        await().atMost(Timeouts.seconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(away, "GET", "/api/v1/kv/app/churn-23", later, null).statusCode() == 200);

        String id = token.substring(ApiTokenFormat.PREFIX.length(), ApiTokenFormat.PREFIX.length() + ApiTokenFormat.ID_LENGTH);
        assertThat(send(cluster.node(3), "DELETE", "/api/v1/admin/tokens/" + id, LocalCluster.ADMIN_TOKEN, null)
                .statusCode()).isEqualTo(204);
        awaitStatusOnEveryNode("GET", "/api/v1/kv/app/by-token", token, null, 403);
        HttpResponse<String> listed = send(cluster.node(1), "GET", "/api/v1/admin/tokens", LocalCluster.ADMIN_TOKEN, null);
        assertThat(listed.body()).contains("created-while-away").doesNotContain("\"everywhere\"");
    }
}
