package dev.ratchet.bench;

import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * Start-up time of one node, from just before its JVM is started until readiness answers 200: a node
 * bootstrapping a fresh single-node cluster (a new data directory each sample), and a follower of a
 * running cluster restarted after a SIGTERM. Blocks for every sample.
 */
final class StartupBenchmark {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private StartupBenchmark() {
    }

    static ObjectNode run(LocalCluster running, int samples) throws Exception {
        List<Long> fresh = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            try (LocalCluster single = new LocalCluster("bench-startup", 1, List.of())) {
                fresh.add(startToReady(single.node(1)));
                System.out.printf("[startup] fresh bootstrap: %d ms%n", fresh.get(fresh.size() - 1));
            }
        }
        List<Long> restart = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            NodeProcess leader = running.awaitLeader();
            NodeProcess follower = running.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            follower.stop();
            restart.add(startToReady(follower));
            System.out.printf("[startup] restarted member %s: %d ms%n", follower.id(), restart.get(restart.size() - 1));
        }
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.set("freshBootstrapMs", samplesWithSummary(fresh));
        section.set("restartedMemberMs", samplesWithSummary(restart));
        return section;
    }

    /** Starts a stopped node and returns the milliseconds until its readiness answered 200. */
    static long startToReady(NodeProcess node) throws Exception {
        long started = System.nanoTime();
        node.start();
        AtomicLong readyAt = new AtomicLong();
        await(node.id() + " ready").atMost(LIMIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!node.isAlive()) {
                        throw new IllegalStateException(node.id() + " exited:\n" + node.tail(30));
                    }
                    if (node.isReady()) {
                        readyAt.set(System.nanoTime());
                        return true;
                    }
                    return false;
                });
        return (readyAt.get() - started) / 1_000_000;
    }

    private static ObjectNode samplesWithSummary(List<Long> samples) {
        ObjectNode o = FailoverBenchmark.summary(samples, samples.size());
        var array = o.putArray("values");
        samples.forEach(array::add);
        return o;
    }
}
