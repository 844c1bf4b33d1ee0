package dev.ratchet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.testsupport.SoloNodeProperties;
import dev.ratchet.transport.TransportStats;
import dev.ratchet.trust.HandshakeResult;
import dev.ratchet.trust.HandshakeSide;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metrics of issue 16 as a real node's /actuator/prometheus serves them (documents, quota, build
 * info, voters and learners, root expiry timestamps), and the chart's Grafana dashboard against the same
 * scrape: every query parses (promtool) and names only series the node exports (per-peer series, which a
 * single node has none of, from the same binders given a peer).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeMetricsScrapeTest {

    static final String ADMIN = "metrics-scrape-test-admin-token-0123456789";
    static final Path DASHBOARD = Path.of("helm/ratchet/dashboards/ratchet.json");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @TempDir
    Path tmp;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        SoloNodeProperties.register(registry, ADMIN);
        registry.add("ratchet.api.max-store-size", () -> "1MB");
    }

    @BeforeAll
    void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> send("GET", "/actuator/health/readiness", null).statusCode() == 200);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double value(String scrape, String name, String labelsRegex) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{" + labelsRegex + "\\})? ([-0-9.eE+]+)$").matcher(scrape);
        assertThat(m.find()).as("series %s{%s} in the scrape", name, labelsRegex).isTrue();
        return Double.parseDouble(m.group(2));
    }

    private static double value(String scrape, String name) {
        return value(scrape, name, "[^}]*");
    }

    @Test
    void documentsAndQuotaUseFollowTheWrites() throws Exception {
        double before = value(scrape(), "ratchet_documents");
        double bytesBefore = value(scrape(), "ratchet_documents_size_bytes");
        assertThat(send("PUT", "/api/v1/kv/m/a", "12345").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/kv/m/b", "1234567890").statusCode()).isEqualTo(201);
        String s = scrape();
        assertThat(value(s, "ratchet_documents")).isEqualTo(before + 2);
        assertThat(value(s, "ratchet_documents_size_bytes")).isEqualTo(bytesBefore + 15);
        assertThat(value(s, "ratchet_store_quota_bytes")).isEqualTo(1024 * 1024);
        assertThat(value(s, "ratchet_store_quota_used_bytes")).isEqualTo(value(s, "ratchet_documents_size_bytes")
                + value(s, "ratchet_documents") * ApiProperties.DOCUMENT_OVERHEAD_BYTES);
        assertThat(send("DELETE", "/api/v1/kv/m/b", null).statusCode()).isEqualTo(204);
        assertThat(value(scrape(), "ratchet_documents")).isEqualTo(before + 1);
    }

    @Test
    void buildInfoVotersLearnersAndRootExpiryTimestamps() throws Exception {
        String s = scrape();
        assertThat(value(s, "ratchet_build_info", "[^}]*version=\"[^\"]+\"[^}]*")).isEqualTo(1);
        assertThat(s).containsPattern("ratchet_build_info\\{[^}]*java_version=\"" + Pattern.quote(System.getProperty("java.version")) + "\"");
        assertThat(value(s, "ratchet_raft_voters")).isEqualTo(1);
        assertThat(value(s, "ratchet_raft_learners")).isZero();
        double now = System.currentTimeMillis() / 1000.0;
        double newest = value(s, "ratchet_trust_newest_root_expiry_timestamp_seconds");
        double oldest = value(s, "ratchet_trust_oldest_root_expiry_timestamp_seconds");
        assertThat(newest).isGreaterThan(now).isGreaterThanOrEqualTo(oldest);
        // The same instant as "seconds until", read a moment apart.
        assertThat(newest - now).isCloseTo(value(s, "ratchet_trust_newest_root_expiry_seconds"), org.assertj.core.data.Offset.offset(30.0));
    }

    @Test
    void aWriteIsTimedFromProposalToApplyAndLeavesNothingPending() throws Exception {
        String before = scrape();
        double count = value(before, "ratchet_raft_proposal_apply_latency_seconds_count");
        double sum = value(before, "ratchet_raft_proposal_apply_latency_seconds_sum");
        assertThat(value(before, "ratchet_raft_proposals_pending")).isGreaterThanOrEqualTo(0);
        assertThat(send("PUT", "/api/v1/kv/latency/a", "x").statusCode()).isEqualTo(201);
        // The proposal is timed before the write is answered, so the scrape after the answer sees it.
        String after = scrape();
        assertThat(value(after, "ratchet_raft_proposal_apply_latency_seconds_count")).isGreaterThanOrEqualTo(count + 1);
        assertThat(value(after, "ratchet_raft_proposal_apply_latency_seconds_sum")).isGreaterThan(sum);
        assertThat(value(after, "ratchet_raft_proposal_apply_latency_seconds_bucket", "[^}]*le=\"\\+Inf\"[^}]*"))
                .isGreaterThanOrEqualTo(count + 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> value(scrape(), "ratchet_raft_proposals_pending") == 0);
    }

    @Test
    void promtoolFindsNothingToSayAboutTheRatchetSeries() throws Exception {
        PrometheusTools.Result r = PrometheusTools.promtool(tmp, scrape(), "check", "metrics");
        assertThat(r.output().lines().filter(l -> l.contains("ratchet_")).toList())
                .as("promtool check metrics:\n%s", r.output()).isEmpty();
    }

    /**
     * What the node's peer binders export once it has a peer "n2", measured one round trip to it and made
     * one handshake, in Prometheus text.
     */
    private static String peerScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TransportMetrics(() -> new TransportStats(Map.of("n2", new TransportStats.PeerStats(1, 100, 2, 200, 0, 1, 0, 0, 0, 0)),
                1, 0, 0, 0), () -> List.of("n2"), System::nanoTime).bindTo(registry);
        new PeerRoundTripMetrics(listener -> listener.roundTrip("n2", 1_500_000)).bindTo(registry);
        new MicrometerHandshakeListener(registry).onHandshake(HandshakeSide.CLIENT, "0123456789abcdef".repeat(4),
                HandshakeResult.UNKNOWN_ROOT);
        return registry.scrape();
    }

    /** Every PromQL expression of the dashboard. */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode d = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<String> exprs = new ArrayList<>();
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asString())));
        assertThat(exprs).as("the dashboard has queries").hasSizeGreaterThan(10).doesNotContain("");
        return exprs;
    }

    /** Names of series in the queries: identifiers followed by a selector. */
    private static Set<String> metricNames(List<String> exprs) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{").matcher(String.join("\n", exprs));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyDashboardQueryParsesAndNamesAnExportedMetric() throws Exception {
        // One API request and one handshake-free scrape, so the HTTP server series exist.
        send("GET", "/api/v1/kv/m/none", null);
        List<String> exprs = dashboardQueries();
        String s = scrape();
        Set<String> exported = new TreeSet<>();
        Matcher series = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(s);
        while (series.find()) {
            exported.add(series.group(1));
        }
        // Per-peer series exist only on a node with peers: add those of the same binders, given a peer.
        Matcher peerSeries = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(peerScrape());
        while (peerSeries.find()) {
            exported.add(peerSeries.group(1));
        }
        Set<String> named = metricNames(exprs);
        assertThat(named).as("the queries name series").contains("ratchet_documents", "ratchet_raft_voters");
        assertThat(exported).as("every series a dashboard query names is exported").containsAll(named);

        // promtool parses each query as a recording rule's expression (template variables as Grafana fills them).
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$job", "ratchet-peers").replace("$namespace", "store");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(expr.replace("'", "''")).append("'\n");
        }
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        PrometheusTools.Result r = PrometheusTools.promtool(tmp, null, "check", "rules", file.toString());
        assertThat(r.exitCode()).as("promtool check rules:\n%s", r.output()).isZero();
    }
}
