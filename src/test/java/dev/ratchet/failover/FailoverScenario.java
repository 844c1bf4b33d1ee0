package dev.ratchet.failover;

import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/** What the failover scenarios share: accelerated rotation, waits on progress and orderly tear-down. */
final class FailoverScenario {

    /**
     * Roots live 21 s and at most 3 are kept: the leader checks every 21 / (2 * 3 + 1) = 3 s and makes a
     * new root once the newest is 21 / 3 = 7 s old, so roots rotate every 7-9 s and every scenario
     * crosses several rotations while it breaks things.
     */
    static final List<String> FAST_ROTATION = List.of("--ratchet.trust.root-cert-expire=21s",
            "--ratchet.trust.max-trust-roots=3", "--ratchet.trust.cert-grace=1s");

    /** The longest time between two rotations with {@link #FAST_ROTATION} (7 s age, 3 s checks). */
    static final Duration ROTATION_INTERVAL = Duration.ofSeconds(9);

    private FailoverScenario() {
    }

    /** A live node other than {@code excluded} that says it leads, or null. */
    static NodeProcess leaderAmong(LocalCluster cluster, NodeProcess excluded) {
        for (NodeProcess n : cluster.nodes()) {
            if (n == excluded || !n.isAlive()) {
                continue;
            }
            try {
                if ("LEADER".equals(LocalCluster.cluster(n).path("role").asString())) {
                    return n;
                }
            } catch (Exception e) {
                // not answering right now
            }
        }
        return null;
    }

    /** Some node of the cluster other than {@code node} (a follower when {@code node} leads). */
    static NodeProcess otherThan(LocalCluster cluster, NodeProcess node) {
        return cluster.nodes().stream().filter(n -> n != node).findFirst().orElseThrow();
    }

    /** Four clients on every node of {@code cluster}, started. */
    static KvWorkload startWorkload(LocalCluster cluster, long seed) {
        KvWorkload workload = new KvWorkload(cluster.nodes(), 4, seed);
        workload.start();
        return workload;
    }

    /** Waits until the workload has had {@code count} more writes acknowledged. */
    static void awaitWrites(KvWorkload workload, long count) {
        long target = workload.okWrites() + count;
        await("%d more acknowledged writes".formatted(count)).atMost(Timeouts.seconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> workload.okWrites() >= target);
    }

    /** Waits until every live node is ready and all agree on one leader. */
    static NodeProcess awaitHealthy(LocalCluster cluster) {
        for (NodeProcess n : cluster.nodes()) {
            if (n.isAlive()) {
                try {
                    await("readiness of " + n.id()).atMost(Timeouts.seconds(45)).pollInterval(Duration.ofMillis(200))
                            .until(n::isReady);
                } catch (ConditionTimeoutException e) {
                    throw n.notReady(e);
                }
            }
        }
        return await("one leader all live nodes agree on").atMost(Timeouts.seconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    String leader = null;
                    for (NodeProcess n : cluster.nodes()) {
                        if (!n.isAlive()) {
                            continue;
                        }
                        String seen = LocalCluster.cluster(n).path("leader").asString();
                        if (seen == null || seen.isEmpty() || (leader != null && !leader.equals(seen))) {
                            return null;
                        }
                        leader = seen;
                    }
                    String agreed = leader;
                    return cluster.nodes().stream().filter(n -> n.id().equals(agreed)).findFirst().orElse(null);
                }, n -> n != null);
    }

    /** An admin call with the test cluster's admin token. */
    static HttpResponse<String> admin(NodeProcess n, String method, String path) throws IOException, InterruptedException {
        return n.send(HttpRequest.newBuilder(n.url(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Stops whatever was started, in reverse order, never letting one failure skip the rest. */
    /**
     * Writes a scenario's report lines to {@code reportFile} beside the cluster's logs (when the cluster got
     * as far as being made), then closes the workload, the watch and the cluster.
     */
    static void saveReportAndCloseAll(String reportFile, List<String> report, KvWorkload workload, LeaderWatch watch,
            LocalCluster cluster) throws IOException {
        try {
            if (cluster != null) {
                java.nio.file.Files.write(cluster.root().resolve(reportFile), report);
            }
        } finally {
            closeAll(workload, watch, cluster);
        }
    }

    static void closeAll(AutoCloseable... things) {
        for (AutoCloseable c : things) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }
}
