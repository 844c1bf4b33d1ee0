package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A data directory belongs to one cluster: two one-node clusters with the same join token (a copy-paste
 * of the chart values), each named by its founder in /actuator/consensus; A's node, restarted with its
 * data but pointed at B, refuses to start with one line naming both clusters, and B is untouched.
 * About 30 s (x3 with CI=true, waits only).
 */
@Tag("cluster")
class WrongClusterTest {

    @Test
    void aNodePointedAtAnotherClusterRefusesToJoinIt() throws Exception {
        try (LocalCluster a = new LocalCluster("wrong-cluster-a", 1, List.of()).start();
                LocalCluster b = new LocalCluster("wrong-cluster-b", 1, List.of()).start()) {
            String idA = clusterId(a.node(1));
            String idB = clusterId(b.node(1));
            assertThat(idA).matches("[0-9a-f]{32}");
            assertThat(idB).matches("[0-9a-f]{32}").isNotEqualTo(idA);
            assertThat(Files.readString(a.node(1).dataDir().resolve("identity"))).contains("cluster-id=" + idA);

            NodeProcess strayed = a.node(1);
            strayed.stop();
            strayed.start("--ratchet.join-addresses=" + b.node(1).baseUrl());
            await("the node refuses and exits").atMost(Timeouts.seconds(60)).until(() -> !strayed.isAlive());
            String log = strayed.tail(200);
            assertThat(log).contains("belongs to cluster " + idA + ", but seed " + b.node(1).baseUrl()
                    + " (node n1) is a member of cluster " + idB + ": refusing to join it");
            assertThat(Files.readString(strayed.dataDir().resolve("identity"))).contains("cluster-id=" + idA);
            assertThat(clusterId(b.node(1))).isEqualTo(idB);
            assertThat(LocalCluster.voters(b.node(1))).containsExactly("n1");
        }
    }

    private static String clusterId(NodeProcess n) {
        return await("the cluster id of " + n.id()).atMost(Timeouts.seconds(30)).ignoreExceptions().until(() ->
                LocalCluster.json(n.send(HttpRequest.newBuilder(n.url("/actuator/consensus"))
                        .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).build()).body())
                        .path("clusterId").asString(), id -> id != null && !id.isEmpty() && !"null".equals(id));
    }
}
