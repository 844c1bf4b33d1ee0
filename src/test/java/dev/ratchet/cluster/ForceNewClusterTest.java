package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.state.ClusterState;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Losing a majority for good, on 3 real nodes: acknowledged writes, every node SIGKILLed, two data
 * directories destroyed, and the procedure of docs/operations.md run as written (its {@code sh recovery}
 * blocks: offline backup, inspect, force-new-cluster from the surviving follower's directory; then its
 * {@code sh after-recovery} blocks once the survivor is back and two fresh nodes have joined it under the
 * lost nodes' ids). Every acknowledged write is then on all three nodes and in the offline backup, and
 * the cluster has 3 voters again. About 60 s (×3 with CI=true, waits only).
 */
@Tag("cluster")
class ForceNewClusterTest {

    private static final int WRITES = 200;

    @Test
    void aSurvivorOfTwoLostDisksBecomesTheNewClusterWithEveryAcknowledgedWrite() throws Exception {
        List<NodeProcess> replacements = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster("force-new-cluster", 3, List.of()).start()) {
            NodeProcess leader = cluster.awaitLeader();
            Map<String, String> acknowledged = new LinkedHashMap<>();
            for (int i = 0; i < WRITES; i++) {
                NodeProcess via = cluster.node(1 + i % 3);
                String key = "/api/v1/kv/survive/k" + i;
                HttpResponse<String> put = via.put(key, "value-" + i);
                if (put.statusCode() == 200 || put.statusCode() == 201) {
                    acknowledged.put(key, "value-" + i);
                }
            }
            assertThat(acknowledged).hasSizeGreaterThan(WRITES * 9 / 10);

            // The survivor is a follower, so the commit index it knows may lag the leader's; it does hold
            // every acknowledged entry (the disaster strikes once replication has reached it).
            NodeProcess survivor = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            long leaderCommit = consensus(leader).path("commitIndex").asLong();
            await("the survivor holds the log through " + leaderCommit).atMost(Timeouts.seconds(30))
                    .ignoreExceptions().until(() -> matchIndexOn(leader, survivor.id()) >= leaderCommit);
            for (NodeProcess n : cluster.nodes()) {
                n.kill();
            }
            List<NodeProcess> lost = cluster.nodes().stream().filter(n -> n != survivor).toList();
            for (NodeProcess n : lost) {
                deleteRecursively(n.dataDir());
            }

            Path work = Files.createDirectories(cluster.root().resolve("recovery-work"));
            Map<String, String> env = new HashMap<>();
            env.put("PATH", ratchetCommand(work) + ":" + System.getenv("PATH"));
            env.put("HOME", work.toString());
            env.put("RATCHET_DATA_DIR", survivor.dataDir().toString());
            env.put("RATCHET_NODE_ID", survivor.id());
            List<String> offline = blocks("recovery");
            assertThat(offline).hasSizeGreaterThanOrEqualTo(3);
            runAll(offline, env, work);

            survivor.start();
            cluster.awaitReady(survivor);
            assertThat(LocalCluster.voters(survivor)).containsExactly(survivor.id());
            for (NodeProcess gone : lost) {
                NodeProcess fresh = new NodeProcess(gone.id() + "-replacement", gone.apiPort(), gone.peerPort(),
                        gone.dataDir(), cluster.root(), List.of("--server.port=" + gone.apiPort(),
                                "--ratchet.node-id=" + gone.id(), "--ratchet.data-dir=" + gone.dataDir(),
                                "--ratchet.peer.host=127.0.0.1", "--ratchet.peer.port=" + gone.peerPort(),
                                "--ratchet.join-token=" + LocalCluster.JOIN_TOKEN,
                                "--ratchet.admin-token=" + LocalCluster.ADMIN_TOKEN,
                                "--ratchet.join-addresses=" + survivor.baseUrl()));
                replacements.add(fresh);
                fresh.start();
            }
            for (NodeProcess fresh : replacements) {
                cluster.awaitReady(fresh);
            }
            await("3 voters again").atMost(Timeouts.seconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(LocalCluster.voters(survivor)).containsExactlyInAnyOrder("n1", "n2", "n3"));

            env.put("RATCHET_URL", survivor.baseUrl());
            env.put("RATCHET_ADMIN_TOKEN", LocalCluster.ADMIN_TOKEN);
            runAll(blocks("after-recovery"), env, work);

            List<NodeProcess> now = new ArrayList<>(replacements);
            now.add(survivor);
            for (NodeProcess n : now) {
                for (Map.Entry<String, String> w : acknowledged.entrySet()) {
                    HttpResponse<String> got = n.get(w.getKey());
                    assertThat(got.statusCode()).as("%s on %s", w.getKey(), n.id()).isEqualTo(200);
                    assertThat(got.body()).isEqualTo(w.getValue());
                }
            }
            assertThat(replacements.get(0).put("/api/v1/kv/survive/after", "written").statusCode()).isIn(200, 201);

            // The offline backup the procedure took before forcing holds every acknowledged write too.
            ClusterState fromBackup = new ClusterState();
            fromBackup.restore(Files.readAllBytes(work.resolve("ratchet-offline-backup.bin")));
            for (Map.Entry<String, String> w : acknowledged.entrySet()) {
                String key = w.getKey().substring("/api/v1/kv/".length());
                assertThat(fromBackup.document(key)).as(key).isNotNull();
            }
        } finally {
            for (NodeProcess n : replacements) {
                n.kill();
            }
        }
    }

    private static JsonNode consensus(NodeProcess n) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(n.url("/actuator/consensus")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).build();
        return LocalCluster.json(n.send(request).body());
    }

    private static long matchIndexOn(NodeProcess leader, String id) throws IOException, InterruptedException {
        for (JsonNode m : consensus(leader).path("members")) {
            if (id.equals(m.path("id").asString())) {
                return m.path("matchIndex").asLong();
            }
        }
        return -1;
    }

    /** A {@code ratchet} command on PATH that runs this build's jar main class, as the docs call it. */
    private static Path ratchetCommand(Path work) throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path script = bin.resolve("ratchet");
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.writeString(script, "#!/bin/bash\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.ratchet.RatchetApplication \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    /** The {@code ```sh <tag>} blocks of docs/operations.md, in order, indented or not. */
    static List<String> blocks(String tag) throws IOException {
        String markdown = Files.readString(Path.of("docs", "operations.md"));
        List<String> blocks = new ArrayList<>();
        // Blocks inside numbered steps are indented; the indentation is not part of the commands.
        Matcher m = Pattern.compile("(?ms)^( *)```sh " + Pattern.quote(tag) + "\\n(.*?)^\\1```").matcher(markdown);
        while (m.find()) {
            String indent = m.group(1);
            blocks.add(m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        }
        return blocks;
    }

    private static void runAll(List<String> blocks, Map<String, String> env, Path work) throws Exception {
        for (String block : blocks) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block).directory(work.toFile())
                    .redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: %s", block).isTrue();
            assertThat(p.exitValue()).as("exit code of\n%s\noutput:\n%s", block, out).isZero();
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
