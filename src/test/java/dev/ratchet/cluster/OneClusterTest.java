package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One cluster, ever, on real nodes: three fresh nodes started together with {@code bootstrap-expect=3}
 * form one cluster (the founder waits for the two others to answer that they are fresh while they wait
 * to join it); and the founder, wiped while the others run, joins them instead of founding a second
 * cluster: it serves every existing key and sees the same voters. About 40 s (×3 with CI=true, waits only).
 */
@Tag("cluster")
class OneClusterTest {

    @Test
    void freshSeedsFormOneClusterAndAWipedFounderJoinsItInsteadOfFoundingASecond() throws Exception {
        Path root = Path.of("target", "cluster-tests", "one-cluster-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(root);
        int[] api = new int[3];
        int[] peer = new int[3];
        for (int i = 0; i < 3; i++) {
            api[i] = freePort();
            peer[i] = freePort();
        }
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            seeds.append(i == 0 ? "" : ",").append("http://127.0.0.1:").append(api[i]);
        }
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "n" + (i + 1);
            Path data = root.resolve(id + "-data");
            // The Helm chart's settings: every pod lists every seed, pod-0 may found, all expect 3.
            List<String> args = new ArrayList<>(List.of("--server.port=" + api[i], "--ratchet.node-id=" + id,
                    "--ratchet.data-dir=" + data, "--ratchet.peer.host=127.0.0.1", "--ratchet.peer.port=" + peer[i],
                    "--ratchet.join-token=" + LocalCluster.JOIN_TOKEN, "--ratchet.admin-token=" + LocalCluster.ADMIN_TOKEN,
                    "--ratchet.join-addresses=" + seeds, "--ratchet.bootstrap-expect=3",
                    "--ratchet.bootstrap=" + (i == 0)));
            nodes.add(new NodeProcess(id, api[i], peer[i], data, root, args));
        }
        try {
            // The founder first: it must wait for the others rather than found alone.
            nodes.get(0).start();
            await("the founder waits for fresh peers").atMost(Timeouts.seconds(60)).until(() ->
                    nodes.get(0).tail(50).contains("not bootstrapping yet"));
            assertThat(nodes.get(0).isReady()).isFalse();
            nodes.get(1).start();
            nodes.get(2).start();
            for (NodeProcess n : nodes) {
                awaitReady(n);
            }
            await("3 voters").atMost(Timeouts.seconds(60)).ignoreExceptions().untilAsserted(() -> {
                for (NodeProcess n : nodes) {
                    assertThat(LocalCluster.voters(n)).containsExactlyInAnyOrder("n1", "n2", "n3");
                }
            });

            Map<String, String> written = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                String key = "/api/v1/kv/one/k" + i;
                HttpResponse<String> put = nodes.get(i % 3).put(key, "v" + i);
                assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
                written.put(key, "v" + i);
            }

            NodeProcess founder = nodes.get(0);
            String oldIncarnation = raftIdOf(nodes.get(1), "n1");
            founder.kill();
            deleteRecursively(founder.dataDir());
            founder.start();
            awaitReady(founder);
            String secondStart = Files.readString(founder.logFile());
            secondStart = secondStart.substring(secondStart.lastIndexOf("---- start "));
            assertThat(secondStart).contains("does not bootstrap").doesNotContain("founds a new cluster");
            for (Map.Entry<String, String> w : written.entrySet()) {
                HttpResponse<String> got = founder.get(w.getKey());
                assertThat(got.statusCode()).as("%s on the wiped founder", w.getKey()).isEqualTo(200);
                assertThat(got.body()).isEqualTo(w.getValue());
            }
            await("one cluster: every node sees the same voters, n1 under its new incarnation")
                    .atMost(Timeouts.seconds(60)).ignoreExceptions().untilAsserted(() -> {
                        for (NodeProcess n : nodes) {
                            assertThat(LocalCluster.voters(n)).containsExactlyInAnyOrder("n1", "n2", "n3");
                        }
                        assertThat(raftIdOf(nodes.get(1), "n1")).isNotEqualTo(oldIncarnation).startsWith("n1~");
                    });
            assertThat(founder.put("/api/v1/kv/one/after", "x").statusCode()).isIn(200, 201);
            assertThat(nodes.get(2).get("/api/v1/kv/one/after").statusCode()).isEqualTo(200);
        } finally {
            for (NodeProcess n : nodes) {
                n.kill();
            }
        }
    }

    /** The Raft id (node id and incarnation) of {@code nodeId} in {@code on}'s configuration. */
    private static String raftIdOf(NodeProcess on, String nodeId) throws IOException, InterruptedException {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(on.url("/actuator/consensus"))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).build();
        for (tools.jackson.databind.JsonNode m : LocalCluster.json(on.send(request).body()).path("members")) {
            if (nodeId.equals(m.path("id").asString()) && "voter".equals(m.path("role").asString())) {
                return m.path("raftId").asString();
            }
        }
        return null;
    }

    private static void awaitReady(NodeProcess n) {
        await("readiness of " + n.id()).atMost(Timeouts.seconds(90)).until(() -> {
            if (!n.isAlive()) {
                throw new AssertionError(n.id() + " exited:\n" + n.tail(40));
            }
            return n.isReady();
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
