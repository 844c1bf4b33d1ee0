package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The seed's bug, with real processes and fast rotation (a root lives about 23 s, a new one every
 * 7 s): a node that was down while roots rotated comes back without an operator, through root iteration
 * when it still shares a root, and through the join token when every root it holds has expired.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotationRejoinTest {

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("rotation-rejoin", 3, List.of(
                "--ratchet.trust.root-cert-expire=21s", "--ratchet.trust.max-trust-roots=3",
                "--ratchet.trust.cert-grace=1s"));
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Serials of the roots a node reports, newest first, from its view of the replicated state. */
    private static String newestRoot(NodeProcess n) throws Exception {
        JsonNode view = LocalCluster.json(n.get("/api/v1/cluster/roots").body());
        return view.path(0).path("sha256Fingerprint").asString();
    }

    private void awaitRotations(NodeProcess observer, int count) throws Exception {
        Set<String> seen = new HashSet<>();
        seen.add(newestRoot(observer));
        await("" + count + " rotations").atMost(Timeouts.seconds(10L * count + 30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    seen.add(newestRoot(observer));
                    return seen.size() > count;
                });
    }

    @Test
    @Order(1)
    void aNodeThatMissedOneRotationRejoinsByRootIteration() throws Exception {
        NodeProcess away = cluster.node(3);
        away.kill();
        awaitRotations(cluster.node(1), 1);
        away.start();
        cluster.awaitReady(away);
        assertThat(cluster.node(1).put("/api/v1/kv/after-one", "1").statusCode()).isIn(200, 201);
        await().atMost(Timeouts.seconds(20)).ignoreExceptions()
                .until(() -> away.get("/api/v1/kv/after-one").body().equals("1"));
    }

    @Test
    @Order(2)
    void aNodeAwayPastEveryRootsLifeRejoinsWithTheJoinToken() throws Exception {
        NodeProcess away = cluster.node(3);
        String before = newestRoot(away);
        away.kill();
        // MaxTrustRoots + 1 rotations: every root the absent node knows has been dropped or has expired.
        awaitRotations(cluster.node(1), 4);
        assertThat(newestRoot(cluster.node(1))).isNotEqualTo(before);
        cluster.node(1).put("/api/v1/kv/after-three", "3");
        long restartedAt = System.nanoTime();
        away.start();
        cluster.awaitReady(away);
        System.out.printf("node away past every root's life: restart to ready in %d ms%n",
                (System.nanoTime() - restartedAt) / 1_000_000);
        await().atMost(Timeouts.seconds(20)).ignoreExceptions()
                .until(() -> away.get("/api/v1/kv/after-three").body().equals("3"));
        assertThat(away.tail(400)).contains("fetching the current roots with the join token");
    }
}
