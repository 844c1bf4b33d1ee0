package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import dev.ratchet.linearizability.CheckResult;
import dev.ratchet.linearizability.KvInput;
import dev.ratchet.linearizability.KvModel;
import dev.ratchet.linearizability.KvOutput;
import dev.ratchet.linearizability.LinearizabilityChecker;
import dev.ratchet.linearizability.Op;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The checks every failover scenario ends with, after the faults are healed and the workload stopped:
 * every acknowledged write is on every node, the client history is linearizable, and at most one node
 * led each term. The history and the outcome are written next to the nodes' logs (under
 * {@code target/cluster-tests/<scenario>}) whatever the result, so a failed CI job keeps them.
 */
final class FailoverChecks {

    private static final Duration CHECK_BUDGET = Duration.ofSeconds(60);

    private FailoverChecks() {
    }

    static void verify(LocalCluster cluster, KvWorkload workload, LeaderWatch watch) throws IOException {
        Path report = cluster.root().resolve("history.txt");
        List<Op<KvInput, KvOutput>> ops = workload.history().ops();
        Files.write(report, ops.stream().map(Object::toString).collect(Collectors.toList()));
        Files.write(cluster.root().resolve("failed-requests.txt"), workload.failures());
        CheckResult result = LinearizabilityChecker.check(new KvModel(), ops, CHECK_BUDGET);
        String summary = "ops " + ops.size() + ", unknown outcomes " + workload.unknownOps() + ", acked unique writes "
                + workload.ackedUnique().size() + "\nlinearizability: " + result + "\nleaders by term: "
                + watch.describe() + "\n";
        Files.writeString(cluster.root().resolve("verdict.txt"), summary);
        System.out.println(cluster.root().getFileName() + ": " + summary);

        assertThat(watch.violations()).as("terms with two leaders (Election Safety)").isEmpty();
        assertThat(result.outcome()).as("history in %s: %s", report, result).isEqualTo(CheckResult.Outcome.LINEARIZABLE);
        assertThat(workload.okWrites()).as("acknowledged writes during the scenario").isPositive();
        Map<String, String> acked = workload.ackedUnique();
        for (NodeProcess n : cluster.nodes()) {
            if (!n.isAlive()) {
                continue;
            }
            await("every acknowledged write on " + n.id()).atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().untilAsserted(() -> assertThat(missing(n, acked)).as(n.id()).isEmpty());
        }
    }

    /** Acknowledged writes that {@code node} lacks or holds with another etag (reads its local state). */
    static Map<String, String> missing(NodeProcess node, Map<String, String> acked) throws IOException, InterruptedException {
        Map<String, String> held = new HashMap<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            String path = "/api/v1/kv?prefix=u/&limit=1000&stale=true"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode body = LocalCluster.json(node.get(path).body());
            for (JsonNode item : body.path("items")) {
                held.put(item.path("key").asString(), item.path("etag").asString());
            }
            after = body.path("next").isNull() || body.path("next").isMissingNode() ? null : body.path("next").asString();
            if (after == null) {
                break;
            }
        }
        Map<String, String> missing = new TreeMap<>();
        acked.forEach((key, etag) -> {
            if (!etag.equals(held.get(key))) {
                missing.put(key, etag + " (node has " + held.get(key) + ")");
            }
        });
        return missing;
    }
}
