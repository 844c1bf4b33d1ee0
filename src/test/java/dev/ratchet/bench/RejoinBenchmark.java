package dev.ratchet.bench;

import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A follower stopped (SIGTERM) while the trust roots rotate a given number of times, then restarted: the
 * time from process start to readiness UP and to holding a write made while it was away, and how it came
 * back (the log says whether it fetched roots with the join token; otherwise it iterated over its roots).
 * Runs on its own 3-node cluster with fast rotation. Blocks for the whole series.
 */
final class RejoinBenchmark {

    static final int MAX_TRUST_ROOTS = 3;
    private static final String ROTATIONS = "ratchet_trust_rotations_total";
    private static final String EXPIRED_AT_START_LOG = "every trust root this node holds has expired";
    private static final String REFRESHED_LOG = "fetching the current trust roots with the join token";

    private final LocalCluster cluster;
    private final KvClient kv;
    private final int rootLifeSeconds;

    RejoinBenchmark(LocalCluster cluster, KvClient kv, int rootLifeSeconds) {
        this.cluster = cluster;
        this.kv = kv;
        this.rootLifeSeconds = rootLifeSeconds;
    }

    /**
     * Node arguments for fast rotation: a root lives {@code rootLifeSeconds} and at most 3 are kept, so a
     * new one comes every third of that. On a loaded machine a restart takes 10-20 s, so a root must live
     * well beyond that, or even one missed rotation leaves the node with nothing but expired roots.
     */
    static List<String> fastRotation(int rootLifeSeconds) {
        return List.of("--ratchet.trust.root-cert-expire=" + rootLifeSeconds + "s",
                "--ratchet.trust.max-trust-roots=" + MAX_TRUST_ROOTS, "--ratchet.trust.cert-grace=1s");
    }

    ObjectNode run(List<Integer> missedCounts) throws Exception {
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("rootCertExpireSeconds", rootLifeSeconds);
        section.put("maxTrustRoots", MAX_TRUST_ROOTS);
        ArrayNode samples = section.putArray("samples");
        for (int missed : missedCounts) {
            ObjectNode sample = once(missed);
            System.out.println("[rejoin] " + sample);
            samples.add(sample);
        }
        return section;
    }

    private ObjectNode once(int missed) throws Exception {
        NodeProcess observer = cluster.awaitLeader();
        NodeProcess away = cluster.nodes().stream().filter(n -> n != observer).reduce((a, b) -> b).orElseThrow();
        double before = rotations(observer);
        away.stop();
        ObjectNode sample = Json.MAPPER.createObjectNode();
        sample.put("missedRotations", missed);
        sample.put("node", away.id());
        await(missed + " rotations").atMost(Duration.ofSeconds((long) rootLifeSeconds * missed + 60)).pollInterval(Duration.ofMillis(250))
                .until(() -> rotations(observer) >= before + missed);
        sample.put("rotationsSeen", (long) (rotations(observer) - before));
        String key = "rejoin-" + missed + "-" + System.nanoTime();
        if (!kv.put(cluster.awaitLeader(), key, "v".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10))) {
            throw new IllegalStateException("the cluster refused a write while " + away.id() + " was away");
        }
        long logStart = Files.size(away.logFile());
        long started = System.nanoTime();
        away.start();
        AtomicLong readyAt = new AtomicLong();
        AtomicLong caughtUpAt = new AtomicLong();
        try {
            await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (readyAt.get() == 0 && away.isReady()) {
                            readyAt.set(System.nanoTime());
                        }
                        if (caughtUpAt.get() == 0 && kv.readLocal(away, key).filter("v"::equals).isPresent()) {
                            caughtUpAt.set(System.nanoTime());
                        }
                        return readyAt.get() != 0 && caughtUpAt.get() != 0;
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println("[rejoin] " + away.id() + " did not come back:\n" + away.tail(30));
        }
        putMillis(sample, "restartToReadyMs", started, readyAt.get());
        putMillis(sample, "restartToCaughtUpMs", started, caughtUpAt.get());
        sample.put("path", path(logSince(away, logStart)));
        return sample;
    }

    /** How the node got current roots back, from what it logged since its restart. */
    static String path(String log) {
        if (log.contains(EXPIRED_AT_START_LOG)) {
            return "join-token (every root had expired at start)";
        }
        if (log.contains(REFRESHED_LOG)) {
            return "join-token (roots refreshed after start)";
        }
        return "root-iteration";
    }

    private static void putMillis(ObjectNode o, String field, long from, long to) {
        if (to == 0) {
            o.putNull(field);
        } else {
            o.put(field, (to - from) / 1_000_000);
        }
    }

    private static double rotations(NodeProcess observer) {
        return NodeMetrics.sum(observer, ROTATIONS, "").orElseThrow(() ->
                new IllegalStateException(observer.id() + " does not report " + ROTATIONS));
    }

    private static String logSince(NodeProcess node, long offset) throws IOException {
        byte[] all = Files.readAllBytes(node.logFile());
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }
}
