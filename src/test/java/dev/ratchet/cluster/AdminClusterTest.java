package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.metrics.PrometheusTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A real Prometheus scrapes a real 3-node cluster, the metrics pass {@code promtool check metrics}, admin
 * actions sent to a follower are forwarded to the leader, every shell command in docs/operations.md runs
 * against the cluster, and a backup taken by those commands bootstraps a new cluster.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminClusterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalCluster cluster;
    private Process prometheus;
    private int prometheusPort;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        PrometheusTools.require("prometheus");
        PrometheusTools.require("promtool");
        cluster = new LocalCluster("admin", 3, List.of()).start();
        work = cluster.root().resolve("admin-work");
        Files.createDirectories(work);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> admin(NodeProcess n, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private NodeProcess follower() {
        NodeProcess leader = cluster.awaitLeader();
        return cluster.nodes().stream().filter(n -> n != leader && n.isAlive()).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void metricsPassPromtoolOnEveryNode() throws Exception {
        // Some traffic first, so that per-peer and handshake series exist.
        assertThat(cluster.node(2).put("/api/v1/kv/metrics/probe", "x").statusCode()).isIn(200, 201);
        // The forwarded write was timed on the leader; every node pings every other one every 2 s.
        NodeProcess leader = cluster.awaitLeader();
        assertThat(count(leader.get("/actuator/prometheus").body(), "ratchet_raft_proposal_apply_latency_seconds_count", ""))
                .isPositive();
        // A follower times the gaps between its leader's heartbeats.
        assertThat(count(follower().get("/actuator/prometheus").body(), "ratchet_raft_leader_contact_gap_seconds_count", ""))
                .isPositive();
        for (NodeProcess n : cluster.nodes()) {
            for (NodeProcess peer : cluster.nodes()) {
                if (peer != n) {
                    await(n.id() + " measured its round trip to " + peer.id()).atMost(Timeouts.seconds(30))
                            .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                            .until(() -> count(n.get("/actuator/prometheus").body(),
                                    "ratchet_transport_peer_round_trip_seconds_count", "peer=\"" + peer.id() + "\"") > 0);
                }
            }
        }
        for (NodeProcess n : cluster.nodes()) {
            String scrape = n.get("/actuator/prometheus").body();
            assertThat(scrape).contains("ratchet_raft_term", "ratchet_tls_handshakes_total{",
                    "ratchet_transport_sent_bytes_total{", "ratchet_trust_roots");
            PrometheusTools.Result r = PrometheusTools.promtool(work, scrape, "check", "metrics");
            List<String> ours = r.output().lines().filter(l -> l.contains("ratchet_")).toList();
            assertThat(ours).as("promtool findings on %s's ratchet_ metrics:\n%s", n.id(), r.output()).isEmpty();
        }
    }

    /** The value of the first series {@code name} whose labels contain {@code label} (any: ""); 0 when none. */
    private static double count(String scrape, String name, String label) {
        String labels = label.isEmpty() ? "(\\{[^}]*\\})?" : "(\\{[^}]*" + java.util.regex.Pattern.quote(label) + "[^}]*\\})";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
                + labels + " ([-0-9.eE+]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    @Test
    @Order(2)
    void prometheusScrapesEveryNode() throws Exception {
        startPrometheus();
        await("prometheus sees every node up with Ratchet's metrics").atMost(Timeouts.seconds(90))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    JsonNode up = query("up{job=\"ratchet\"}");
                    JsonNode terms = query("ratchet_raft_term{job=\"ratchet\"}");
                    JsonNode leaders = query("sum(ratchet_raft_role{job=\"ratchet\",role=\"leader\"})");
                    int upCount = 0;
                    for (JsonNode s : up) {
                        upCount += "1".equals(s.path("value").get(1).asString()) ? 1 : 0;
                    }
                    return upCount == 3 && terms.size() == 3 && "1".equals(leaders.get(0).path("value").get(1).asString());
                });
        JsonNode targets = LocalCluster.json(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets.path("data").path("activeTargets")) {
            assertThat(t.path("scrapeUrl").asString()).startsWith("http://127.0.0.1:");
        }
        assertThat(query("ratchet_trust_newest_root_expiry_seconds{job=\"ratchet\"}")).hasSize(3);
    }

    private void startPrometheus() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            prometheusPort = s.getLocalPort();
        }
        StringBuilder targets = new StringBuilder();
        for (NodeProcess n : cluster.nodes()) {
            targets.append(targets.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(n.apiPort()).append("'");
        }
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: ratchet
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                """.formatted(Path.of("docs/alerts/ratchet-rules.yml").toAbsolutePath(), targets));
        prometheus = new ProcessBuilder(PrometheusTools.require("prometheus").toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    }

    private JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode answer = LocalCluster.json(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(answer.path("status").asString()).isEqualTo("success");
        return answer.path("data").path("result");
    }

    @Test
    @Order(3)
    void adminActionsOnAFollowerAreForwardedToTheLeader() throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        JsonNode consensus = LocalCluster.json(admin(leader, "GET", "/actuator/consensus", null).body());
        for (JsonNode m : consensus.path("members")) {
            assertThat(m.path("role").asString()).as(m.toString()).isEqualTo("voter");
            assertThat(m.path("reachable").asBoolean()).as(m.toString()).isTrue();
            assertThat(m.path("matchIndex").asLong()).as(m.toString()).isPositive();
        }
        for (NodeProcess n : cluster.nodes()) {
            JsonNode peers = LocalCluster.json(admin(n, "GET", "/actuator/roots", null).body()).path("peers");
            assertThat(peers.size()).as("%s: roots in use per peer %s", n.id(), peers).isEqualTo(2);
        }
        NodeProcess follower = follower();
        HttpResponse<String> moved = admin(follower, "POST", "/api/v1/admin/leadership/transfer", null);
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        String newLeader = LocalCluster.json(moved.body()).path("leader").asString();
        assertThat(newLeader).isNotEqualTo(leader.id());
        await().atMost(Timeouts.seconds(20)).until(() -> cluster.leader().map(NodeProcess::id).orElse("").equals(newLeader));

        NodeProcess f = follower();
        String member = "{\"id\":\"ghost\",\"peerAddress\":\"127.0.0.1:9\",\"apiUrl\":\"http://127.0.0.1:9\"}";
        HttpResponse<String> added = admin(f, "POST", "/api/v1/admin/members", member);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(LocalCluster.json(admin(f, "GET", "/actuator/consensus", null).body()).path("members").toString())
                .contains("\"id\":\"ghost\",\"role\":\"learner\"");
        HttpResponse<String> removed = admin(f, "DELETE", "/api/v1/admin/members/ghost", null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        await().atMost(Timeouts.seconds(10)).untilAsserted(() ->
                assertThat(LocalCluster.voters(f)).containsExactlyInAnyOrder("n1", "n2", "n3"));

        HttpResponse<String> rotated = admin(f, "POST", "/api/v1/admin/roots/rotate", null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newest = LocalCluster.json(rotated.body()).path("newest").asString();
        await().atMost(Timeouts.seconds(20)).untilAsserted(() -> {
            for (NodeProcess n : cluster.nodes()) {
                assertThat(LocalCluster.json(admin(n, "GET", "/actuator/roots", null).body())
                        .path("roots").get(0).path("shortId").asString()).isEqualTo(newest);
            }
        });
        // The cluster keeps working across the rotation.
        assertThat(cluster.node(3).put("/api/v1/kv/after/rotation", "ok").statusCode()).isIn(200, 201);
    }

    @Test
    @Order(4)
    void everyCommandInTheOperationsGuideRuns() throws Exception {
        assertThat(cluster.node(1).put("/api/v1/kv/restore/me", "precious").statusCode()).isIn(200, 201);
        List<String> blocks = shellBlocks(Files.readString(Path.of("docs", "operations.md")));
        assertThat(blocks).hasSizeGreaterThan(5);
        NodeProcess follower = follower();
        Map<String, String> env = new HashMap<>();
        env.put("RATCHET_URL", follower.baseUrl());
        env.put("RATCHET_ADMIN_TOKEN", LocalCluster.ADMIN_TOKEN);
        env.put("PROMETHEUS_URL", "http://127.0.0.1:" + prometheusPort);
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", work.toString());
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
        assertThat(work.resolve("ratchet-backup.bin")).exists();
    }

    /** The ```sh blocks of a Markdown document, in order. */
    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```sh\\n(.*?)^```").matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    @Order(5)
    void aBackupBootstrapsANewCluster() throws Exception {
        Path backup = work.resolve("ratchet-backup.bin");
        assertThat(backup).exists();
        int api;
        int peer;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            api = a.getLocalPort();
            peer = b.getLocalPort();
        }
        Path data = cluster.root().resolve("restored-data");
        NodeProcess restored = new NodeProcess("restored", api, peer, data, cluster.root(), List.of(
                "--server.port=" + api, "--ratchet.node-id=restored", "--ratchet.data-dir=" + data,
                "--ratchet.peer.host=127.0.0.1", "--ratchet.peer.port=" + peer,
                "--ratchet.join-token=" + LocalCluster.JOIN_TOKEN, "--ratchet.admin-token=" + LocalCluster.ADMIN_TOKEN,
                "--ratchet.bootstrap=true", "--ratchet.admin.restore-from=" + backup));
        try {
            restored.start();
            cluster.awaitReady(restored);
            HttpResponse<String> kept = restored.get("/api/v1/kv/restore/me");
            assertThat(kept.statusCode()).isEqualTo(200);
            assertThat(kept.body()).isEqualTo("precious");
            assertThat(kept.headers().firstValue("ETag"))
                    .isEqualTo(cluster.node(1).get("/api/v1/kv/restore/me").headers().firstValue("ETag"));
            assertThat(LocalCluster.voters(restored)).containsExactly("restored");
            assertThat(restored.put("/api/v1/kv/restore/new", "writable").statusCode()).isIn(200, 201);
        } finally {
            restored.kill();
        }
    }
}
