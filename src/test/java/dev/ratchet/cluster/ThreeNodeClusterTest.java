package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.ratchet.cli.RatchetCtlClusterChecks;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real node processes on loopback with mutual TLS: form a cluster by bootstrap + join, write
 * through every node and read back everywhere, refuse bad input without harm, survive a SIGKILL of the
 * leader, and take a restarted node back. Then (nested, after these, on the same cluster) ratchetctl
 * against it: sharing this cluster saves the 20-40 s a cluster start of its own would add to CI.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("three-node", 3, List.of());
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void joinedNodesArePromotedToVoters() throws Exception {
        for (NodeProcess n : cluster.nodes()) {
            assertThat(LocalCluster.voters(n)).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
    }

    @Test
    @Order(2)
    void writesThroughEveryNodeAreReadEverywhere() throws Exception {
        for (NodeProcess writer : cluster.nodes()) {
            HttpResponse<String> put = writer.put("/api/v1/kv/from/" + writer.id(), "hello from " + writer.id());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            String etag = put.headers().firstValue("ETag").orElseThrow();
            // Read-your-writes on the node written to, even for a stale read.
            assertThat(writer.get("/api/v1/kv/from/" + writer.id() + "?stale=true").body()).isEqualTo("hello from " + writer.id());
            for (NodeProcess reader : cluster.nodes()) {
                HttpResponse<String> get = reader.get("/api/v1/kv/from/" + writer.id());
                assertThat(get.statusCode()).isEqualTo(200);
                assertThat(get.body()).isEqualTo("hello from " + writer.id());
                assertThat(get.headers().firstValue("ETag")).contains(etag);
            }
        }
        // The README's example: curl --data-binary sends a form content type; the bytes are the value.
        HttpResponse<String> curlLike = cluster.node(1).put("/api/v1/kv/greeting", "hello",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(curlLike.statusCode()).as(curlLike.body()).isEqualTo(201);
        assertThat(cluster.node(3).get("/api/v1/kv/greeting").body()).isEqualTo("hello");
        NodeProcess follower = cluster.nodes().stream().filter(n -> !n.equals(cluster.awaitLeader())).findFirst().orElseThrow();
        HttpResponse<String> list = follower.get("/api/v1/kv?prefix=from/");
        assertThat(LocalCluster.json(list.body()).path("items")).hasSize(3);
    }

    @Test
    @Order(3)
    void compareAndSetRacesHaveOneWinner() throws Exception {
        String etag = LocalCluster.etag(cluster.node(1).put("/api/v1/kv/cas", "0").headers().firstValue("ETag").orElseThrow());
        int winners = 0;
        for (NodeProcess n : cluster.nodes()) {
            int status = n.put("/api/v1/kv/cas", "by " + n.id(), "If-Match", "\"" + etag + "\"").statusCode();
            assertThat(status).isIn(200, 412);
            winners += status == 200 ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
    }

    @Test
    @Order(4)
    void badInputIsRefusedAndHarmsNothing() throws Exception {
        NodeProcess n = cluster.node(2);
        // Junk on the peer port: the TLS handshake fails, the node keeps serving.
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket("127.0.0.1", n.peerPort()); OutputStream out = s.getOutputStream()) {
                byte[] junk = new byte[512];
                new Random(i).nextBytes(junk);
                out.write(junk);
                out.flush();
            } catch (java.io.IOException expectedWhenTheNodeHangsUp) {
                // the node may close the connection before we finish writing
            }
        }
        HttpResponse<String> badJoin = n.send(HttpRequest.newBuilder(n.url("/api/v1/cluster/join"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertThat(badJoin.statusCode()).isEqualTo(400);
        HttpResponse<String> challenge = n.send(HttpRequest.newBuilder(n.url("/api/v1/cluster/join/challenge"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(200);
        String nonce = challenge.body().replaceAll(".*\"nonce\":\"([^\"]+)\".*", "$1");
        String issuer = challenge.body().replaceAll(".*\"issuer\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> forged = n.send(HttpRequest.newBuilder(n.url("/api/v1/cluster/join"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"nodeId\":\"evil\",\"peerAddress\":\"127.0.0.1:1\",\"apiUrl\":\"http://127.0.0.1:1\","
                                + "\"issuer\":\"" + issuer + "\",\"challenge\":\"" + nonce + "\","
                                + "\"joinerNonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"mac\":\"AAAA\"}")).build());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).doesNotContain("BEGIN").contains("join token does not match");
        assertThat(n.put("/api/v1/kv/" + "k".repeat(1100), "x").statusCode()).isEqualTo(400);
        assertThat(n.put("/api/v1/kv/big", "x".repeat(1024 * 1024 + 1)).statusCode()).isEqualTo(413);
        assertThat(n.put("/api/v1/kv/a%2F..%2Fb", "x").statusCode()).isEqualTo(400);
        assertThat(LocalCluster.voters(n)).doesNotContain("evil");
        assertThat(n.isReady()).isTrue();
        assertThat(n.put("/api/v1/kv/still-works", "yes").statusCode()).isEqualTo(201);
    }

    @Test
    @Order(5)
    void survivesALeaderKillAndTakesTheNodeBack() throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        long killedAt = System.nanoTime();
        leader.kill();
        NodeProcess survivor = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> survivor.put("/api/v1/kv/after-kill", "ok").statusCode() / 100 == 2);
        System.out.printf("leader %s killed; first committed write after %d ms%n", leader.id(),
                (System.nanoTime() - killedAt) / 1_000_000);
        NodeProcess newLeader = cluster.awaitLeader();
        assertThat(newLeader).isNotEqualTo(leader);

        leader.start();
        cluster.awaitReady(leader);
        await().atMost(Timeouts.seconds(30)).ignoreExceptions()
                .until(() -> leader.get("/api/v1/kv/after-kill").body().equals("ok"));
        for (NodeProcess n : cluster.nodes()) {
            assertThat(n.get("/api/v1/kv/from/n1").body()).isEqualTo("hello from n1");
            assertThat(n.get("/api/v1/kv/still-works").body()).isEqualTo("yes");
        }
    }

    /** ratchetctl against this cluster; JUnit runs nested classes after the methods above. */
    @Nested
    class Ratchetctl extends RatchetCtlClusterChecks {
        Ratchetctl() {
            super(() -> cluster);
        }
    }
}
