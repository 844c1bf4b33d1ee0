package dev.ratchet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every admin route over real HTTP against a real single-node cluster in this JVM: the open probe and
 * scrape endpoints, the guarded ones refused without or with wrong credentials (and counted), and each
 * admin action doing what it says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminEndpointsTest {

    static final String TOKEN = "admin-endpoints-test-token-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("ratchet-admin-test");
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        registry.add("ratchet.node-id", () -> "solo");
        registry.add("ratchet.data-dir", () -> data.toString());
        registry.add("ratchet.bootstrap", () -> "true");
        registry.add("ratchet.join-token", () -> "admin-test-join-token-0123456789");
        registry.add("ratchet.admin-token", () -> TOKEN);
        registry.add("ratchet.peer.host", () -> "127.0.0.1");
        registry.add("ratchet.peer.port", () -> Integer.toString(peerPort));
        registry.add("ratchet.raft.heartbeat-interval", () -> "20ms");
        registry.add("ratchet.raft.election-timeout", () -> "200ms");
    }

    @BeforeAll
    void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get("/actuator/health/readiness", null).statusCode() == 200);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    private HttpResponse<String> send(String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private double metric(String name, String labels) throws Exception {
        String body = get("/actuator/prometheus", null).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels == null ? "(\\{[^}]*\\})?" : "\\{" + labels + "\\}")
                + " ([-0-9.eE+]+)$").matcher(body);
        assertThat(m.find()).as("metric %s{%s} in\n%s", name, labels, body).isTrue();
        return Double.parseDouble(m.group(m.groupCount()));
    }

    @Test
    void probesAndScrapeAreOpen() throws Exception {
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("raft").contains("\"leader\":\"solo\"")
                .contains("\"member\":true").contains("\"caughtUp\":true");
        HttpResponse<String> scrape = get("/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("ratchet_raft_term ", "ratchet_raft_role{role=\"leader\"} 1",
                "ratchet_raft_has_leader 1", "ratchet_trust_roots ", "ratchet_raft_append_sync_seconds_bucket",
                "ratchet_raft_leader_contact_gap_seconds_bucket", "ratchet_raft_snapshot_capture_seconds_count",
                "ratchet_artifacts ", "ratchet_artifacts_fetches_pending ", "ratchet_trust_newest_root_expiry_seconds ");
    }

    @Test
    void guardedRoutesRefuseMissingAndWrongCredentialsAndCountThem() throws Exception {
        double missingBefore = metric("ratchet_admin_auth_failures_total", "reason=\"missing\"");
        double invalidBefore = metric("ratchet_admin_auth_failures_total", "reason=\"invalid\"");
        List<String[]> routes = List.of(
                new String[] {"GET", "/actuator/roots"}, new String[] {"GET", "/actuator/consensus"},
                new String[] {"GET", "/actuator"}, new String[] {"POST", "/api/v1/admin/roots/rotate"},
                new String[] {"POST", "/api/v1/admin/leadership/transfer"},
                new String[] {"POST", "/api/v1/admin/members"}, new String[] {"DELETE", "/api/v1/admin/members/x"},
                new String[] {"POST", "/api/v1/admin/snapshot"}, new String[] {"GET", "/api/v1/admin/backup"});
        for (String[] r : routes) {
            HttpResponse<String> none = send(r[0], r[1], null, null);
            assertThat(none.statusCode()).as("%s %s without credentials", r[0], r[1]).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            HttpResponse<String> wrong = send(r[0], r[1], TOKEN + "x", null);
            assertThat(wrong.statusCode()).as("%s %s with a wrong token", r[0], r[1]).isEqualTo(403);
            assertThat(wrong.body()).doesNotContain(TOKEN);
        }
        assertThat(metric("ratchet_admin_auth_failures_total", "reason=\"missing\""))
                .isEqualTo(missingBefore + routes.size());
        // Spellings that do not name one path unambiguously never reach a rule: the firewall refuses them.
        for (String odd : List.of("/actuator/health/../roots", "//actuator//roots", "/actuator/roots;x=health")) {
            HttpResponse<String> r = send("GET", odd, null, null);
            assertThat(r.statusCode()).as(odd).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(json(r).path("type").asString()).isEqualTo("urn:ratchet:problem:request-rejected");
        }
        assertThat(metric("ratchet_admin_auth_failures_total", "reason=\"invalid\""))
                .isEqualTo(invalidBefore + routes.size());
    }

    @Test
    void consensusShowsTheGroup() throws Exception {
        HttpResponse<String> r = get("/actuator/consensus", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = json(r);
        assertThat(c.path("nodeId").asString()).isEqualTo("solo");
        assertThat(c.path("role").asString()).isEqualTo("LEADER");
        assertThat(c.path("leaderId").asString()).isEqualTo("solo");
        assertThat(c.path("term").asLong()).isPositive();
        assertThat(c.path("appliedIndex").asLong()).isLessThanOrEqualTo(c.path("commitIndex").asLong());
        assertThat(c.path("ready").asBoolean()).isTrue();
        JsonNode self = c.path("members").get(0);
        assertThat(self.path("id").asString()).isEqualTo("solo");
        assertThat(self.path("role").asString()).isEqualTo("voter");
        assertThat(self.path("reachable").asBoolean()).isTrue();
        // The leader's health verdict on itself (autopilot is off in this test).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode me = json(get("/actuator/consensus", TOKEN)).path("members").get(0);
            assertThat(me.path("healthy").isBoolean()).as(me.toString()).isTrue();
            assertThat(me.path("healthy").asBoolean()).isTrue();
            assertThat(me.path("health").asString()).contains("the leader");
            assertThat(me.path("silentMillis").asLong()).isZero();
        });
    }

    @Test
    void rootsAreListedNewestFirstWithoutKeysAndRotateOnRequest() throws Exception {
        JsonNode before = json(get("/actuator/roots", TOKEN));
        int count = before.path("count").asInt();
        assertThat(before.path("roots").get(0).path("current").asBoolean()).isTrue();
        String newestBefore = before.path("roots").get(0).path("sha256Fingerprint").asString();
        assertThat(newestBefore).matches("[0-9a-f]{64}");
        double rotations = metric("ratchet_trust_rotations_total", null);

        HttpResponse<String> rotated = send("POST", "/api/v1/admin/roots/rotate", TOKEN, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newShort = json(rotated).path("newest").asString();

        HttpResponse<String> after = get("/actuator/roots", TOKEN);
        JsonNode roots = json(after).path("roots");
        assertThat(roots.get(0).path("shortId").asString()).isEqualTo(newShort);
        assertThat(roots.get(0).path("sha256Fingerprint").asString()).isNotEqualTo(newestBefore);
        assertThat(roots.size()).isBetween(2, count + 1);
        for (int i = 1; i < roots.size(); i++) {
            assertThat(roots.get(i).path("current").asBoolean()).isFalse();
            assertThat(roots.get(i - 1).path("notBefore").asString()).isGreaterThanOrEqualTo(roots.get(i).path("notBefore").asString());
        }
        String body = after.body().toLowerCase();
        assertThat(body).doesNotContain("private").doesNotContain("begin").doesNotContain("\"key\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("ratchet_trust_rotations_total", null) == rotations + 1);
    }

    @Test
    void snapshotAndBackup() throws Exception {
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/kv/backup/me"))
                .PUT(HttpRequest.BodyPublishers.ofString("kept")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isIn(200, 201);
        HttpResponse<String> snap = send("POST", "/api/v1/admin/snapshot", TOKEN, null);
        assertThat(snap.statusCode()).as(snap.body()).isEqualTo(200);
        long index = json(snap).path("index").asLong();
        assertThat(index).isGreaterThanOrEqualTo(json(get("/actuator/consensus", TOKEN)).path("snapshotIndex").asLong() - 0)
                .isPositive();
        assertThat(json(get("/actuator/consensus", TOKEN)).path("snapshotIndex").asLong()).isGreaterThanOrEqualTo(index);

        HttpResponse<byte[]> backup = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/backup"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(backup.statusCode()).isEqualTo(200);
        long applied = Long.parseLong(backup.headers().firstValue("X-Ratchet-Applied-Index").orElseThrow());
        assertThat(applied).isGreaterThanOrEqualTo(index);
        assertThat(dev.ratchet.state.BackupImages.appliedIndex(backup.body())).isEqualTo(applied);
        // Decode the backup with the state codec: the documents are in it, the roots (private keys) are not.
        dev.ratchet.state.ClusterState decoded = new dev.ratchet.state.ClusterState();
        decoded.restore(backup.body());
        assertThat(decoded.appliedIndex()).isEqualTo(applied);
        assertThat(decoded.document("backup/me").value()).isEqualTo("kept".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(decoded.roots()).as("a backup carries no trust roots (they hold private keys)").isEmpty();
        assertThat(decoded.members()).containsKey("solo");
    }

    @Test
    void leadershipTransferValidatesItsTarget() throws Exception {
        HttpResponse<String> toSelf = send("POST", "/api/v1/admin/leadership/transfer?to=solo", TOKEN, null);
        assertThat(toSelf.statusCode()).as(toSelf.body()).isEqualTo(200);
        assertThat(json(toSelf).path("leader").asString()).isEqualTo("solo");
        HttpResponse<String> nobody = send("POST", "/api/v1/admin/leadership/transfer", TOKEN, null);
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(json(nobody).path("detail").asString()).contains("no reachable voter");
        HttpResponse<String> unknown = send("POST", "/api/v1/admin/leadership/transfer?to=ghost", TOKEN, null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("detail").asString()).contains("not a voter");
        HttpResponse<String> bad = send("POST", "/api/v1/admin/leadership/transfer?to=bad%20id", TOKEN, null);
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void membersAreAddedAsLearnersAndRemoved() throws Exception {
        String member = "{\"id\":\"extra\",\"peerAddress\":\"127.0.0.1:9\",\"apiUrl\":\"http://127.0.0.1:9\"}";
        HttpResponse<String> added = send("POST", "/api/v1/admin/members", TOKEN, member);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        List<String> roles = new ArrayList<>();
        json(get("/actuator/consensus", TOKEN)).path("members")
                .forEach(m -> roles.add(m.path("id").asString() + "=" + m.path("role").asString()));
        assertThat(roles).containsExactly("extra=learner", "solo=voter");
        // Nothing runs at 127.0.0.1:9: once an election timeout passes the leader calls it unhealthy, and says why.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode extra = json(get("/actuator/consensus", TOKEN)).path("members").get(0);
            assertThat(extra.path("healthy").isBoolean()).as(extra.toString()).isTrue();
            assertThat(extra.path("healthy").asBoolean()).isFalse();
            assertThat(extra.path("health").asString()).contains("no answer for").contains("learner");
            assertThat(extra.path("silentMillis").asLong()).isGreaterThanOrEqualTo(200);
        });

        HttpResponse<String> removed = send("DELETE", "/api/v1/admin/members/extra", TOKEN, null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(json(get("/actuator/consensus", TOKEN)).path("members")).hasSize(1);
        assertThat(get("/api/v1/cluster", null).body()).doesNotContain("extra");

        assertThat(send("DELETE", "/api/v1/admin/members/solo", TOKEN, null).statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/api/v1/admin/members/never", TOKEN, null).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/members", TOKEN, "{\"id\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/members", TOKEN,
                "{\"id\":\"bad id\",\"peerAddress\":\"h:1\",\"apiUrl\":\"http://h:1\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/members", TOKEN,
                "{\"id\":\"y\",\"peerAddress\":\"no-port\",\"apiUrl\":\"http://h:1\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/members", TOKEN, "not json").statusCode()).isEqualTo(400);
    }
}
