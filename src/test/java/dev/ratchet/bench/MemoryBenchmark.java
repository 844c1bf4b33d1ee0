package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a fresh cluster with distinct keys (100-byte values) as fast as it takes them, in two halves, and
 * reports per node: the heap after a full collection at each half, and from the two the heap each further
 * document costs (fixed costs such as the entry cache, full in both, cancel out); the snapshots taken, with
 * the Raft loop's share; and how often a follower waited over 3 heartbeat intervals for its leader. Over the
 * fills it reports the write latency and the leader changes, and at the end the time a restarted follower
 * holding all the keys takes to be ready. Each key is retried a few times before it counts as lost. Blocks
 * until every key was written or given up.
 */
final class MemoryBenchmark {

    private static final int ATTEMPTS_PER_KEY = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String GAP = "ratchet_raft_leader_contact_gap_seconds";
    /** The gap histogram's bucket bounds in ticks (RaftMetrics), as they name the counts of gaps above them. */
    private static final String[] BUCKET_TICKS = {"1.5", "2", "3", "10"};
    /** The nodes' heartbeat interval (LocalCluster leaves ratchet.raft.heartbeat-interval at its default). */
    private static final double TICK_SECONDS = 0.05;

    private final LocalCluster cluster;
    private final KvClient kv;
    private final Histogram writeMicros = new Histogram(60_000_000L, 3);
    private final LongAdder stored = new LongAdder();
    private final LongAdder lost = new LongAdder();

    MemoryBenchmark(LocalCluster cluster, KvClient kv) {
        this.cluster = cluster;
        this.kv = kv;
    }

    ObjectNode run(int keys, int clients) throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        long begin = System.nanoTime();
        int half = keys / 2;
        // Counters and terms are read right before and after each fill, so the measuring pauses in between
        // (a full collection stops a node for a while) are not counted against the fills.
        long term0 = term(leader);
        Map<String, Map<String, Double>> start1 = scrapeAll();
        fill(leader, 0, half, clients, keys, begin);
        Map<String, Map<String, Double>> end1 = scrapeAll();
        long term1 = term(cluster.awaitLeader());
        long storedAtHalf = stored.sum();
        List<ObjectNode> atHalf = measureNodes();
        long term2 = term(cluster.awaitLeader());
        Map<String, Map<String, Double>> start2 = scrapeAll();
        fill(cluster.awaitLeader(), half, keys, clients, keys, begin);
        Map<String, Map<String, Double>> end2 = scrapeAll();
        long term3 = term(cluster.awaitLeader());
        double seconds = (System.nanoTime() - begin) / 1e9;
        List<ObjectNode> atEnd = measureNodes();

        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("keys", keys);
        section.put("valueBytes", 100);
        section.put("stored", stored.sum());
        section.put("storedAtHalf", storedAtHalf);
        section.put("lost", lost.sum());
        section.put("seconds", BenchmarkRow.round(seconds, 1));
        section.put("writesPerSecond", BenchmarkRow.round(stored.sum() / seconds, 1));
        section.put("leaderChangesDuringFill", (term1 - term0) + (term3 - term2));
        ObjectNode latency = section.putObject("writeLatencyMs");
        for (double p : new double[] {50, 99, 99.9}) {
            latency.put("p" + (p == 99.9 ? "999" : Integer.toString((int) p)),
                    writeMicros.getValueAtPercentile(p) / 1000.0);
        }
        latency.put("max", writeMicros.getMaxValue() / 1000.0);
        ArrayNode perNode = section.putArray("nodes");
        for (int i = 0; i < atEnd.size(); i++) {
            ObjectNode o = atEnd.get(i);
            String id = o.path("node").asString();
            long h1 = atHalf.get(i).path("heapAfterFullGcBytes").asLong(-1);
            long h2 = o.path("heapAfterFullGcBytes").asLong(-1);
            o.put("heapAfterFullGcAtHalfBytes", h1);
            long docs = stored.sum() - storedAtHalf;
            if (h1 > 0 && h2 > 0 && docs > 0) {
                o.put("heapPerFurtherDocumentBytes", BenchmarkRow.round((double) (h2 - h1) / docs, 1));
            }
            putSnapshotsAndGaps(o, List.of(start1.get(id), start2.get(id)), List.of(end1.get(id), end2.get(id)));
            perNode.add(o);
        }
        NodeProcess follower = cluster.nodes().stream().filter(n -> n != cluster.awaitLeader()).findFirst().orElseThrow();
        follower.stop();
        long restartMs = StartupBenchmark.startToReady(follower);
        section.put("restartedFollower", follower.id());
        section.put("restartToReadyMs", restartMs);
        System.out.println("[memory] " + section);
        return section;
    }

    private void fill(NodeProcess leader, long from, long to, int clients, int keys, long begin)
            throws InterruptedException {
        AtomicLong next = new AtomicLong(from);
        long progressStep = Math.max(1, keys / 10);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                byte[] value = new byte[100];
                for (long k = next.getAndIncrement(); k < to; k = next.getAndIncrement()) {
                    boolean ok = false;
                    for (int a = 0; a < ATTEMPTS_PER_KEY && !ok; a++) {
                        long t0 = System.nanoTime();
                        ok = kv.put(leader, "m" + k, value, TIMEOUT);
                        if (ok) {
                            synchronized (writeMicros) {
                                writeMicros.recordValue(Math.min((System.nanoTime() - t0) / 1000, 60_000_000L));
                            }
                        }
                    }
                    if (ok) {
                        stored.increment();
                    } else {
                        lost.increment();
                    }
                    if ((k + 1) % progressStep == 0) {
                        System.out.printf("[memory] %d of %d keys sent (%.0f s)%n", k + 1, keys,
                                (System.nanoTime() - begin) / 1e9);
                    }
                }
                done.countDown();
            }, "memory-writer-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
    }

    private List<ObjectNode> measureNodes() {
        // A snapshot being encoded holds its image and a version of the tree: wait for it, or the heap after a
        // collection would count up to a whole image against the documents.
        org.awaitility.Awaitility.await("snapshots finished").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200)).until(() -> cluster.nodes().stream().allMatch(n ->
                        NodeMetrics.sum(n, "ratchet_raft_snapshot_in_progress", "").orElse(1) == 0));
        List<ObjectNode> out = new ArrayList<>();
        for (NodeProcess n : cluster.nodes()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("node", n.id());
            java.util.Optional<Long> pid = NodeMetrics.pid(n);
            pid.flatMap(NodeMetrics::rssBytes).ifPresentOrElse(rss -> o.put("rssBytes", rss),
                    () -> o.putNull("rssBytes"));
            NodeMetrics.sum(n, "jvm_memory_used_bytes", "area=\"heap\"").ifPresentOrElse(
                    v -> o.put("heapUsedBytes", (long) v), () -> o.putNull("heapUsedBytes"));
            // Last, since it collects: the live set, when the JDK's jcmd can ask the node for a full GC.
            if (pid.isPresent() && Jcmd.fullGc(pid.get())) {
                NodeMetrics.sum(n, "jvm_memory_used_bytes", "area=\"heap\"").ifPresentOrElse(
                        v -> o.put("heapAfterFullGcBytes", (long) v), () -> o.putNull("heapAfterFullGcBytes"));
            } else {
                o.putNull("heapAfterFullGcBytes");
            }
            NodeMetrics.sum(n, "jvm_memory_max_bytes", "area=\"heap\"").ifPresentOrElse(
                    v -> o.put("heapMaxBytes", (long) v), () -> o.putNull("heapMaxBytes"));
            out.add(o);
        }
        return out;
    }

    /** Snapshots and leader-contact gaps over the fills: differences of scrapes taken around each. */
    private static void putSnapshotsAndGaps(ObjectNode o, List<Map<String, Double>> before,
            List<Map<String, Double>> after) {
        double snapshots = delta(before, after, "ratchet_raft_snapshot_seconds_count");
        o.put("snapshots", (long) snapshots);
        if (snapshots > 0) {
            o.put("snapshotMeanMs", BenchmarkRow.round(
                    delta(before, after, "ratchet_raft_snapshot_seconds_sum") / snapshots * 1000, 1));
            o.put("snapshotLoopMeanMs", BenchmarkRow.round(
                    delta(before, after, "ratchet_raft_snapshot_capture_seconds_sum") / snapshots * 1000, 3));
        }
        double gaps = delta(before, after, GAP + "_count");
        o.put("leaderContactGaps", (long) gaps);
        ObjectNode over = o.putObject("leaderContactGapsOverTicks");
        for (int b = 0; b < BUCKET_TICKS.length; b++) {
            String bucket = GAP + "_bucket" + b;
            boolean present = before.stream().allMatch(m -> m.containsKey(bucket))
                    && after.stream().allMatch(m -> m.containsKey(bucket));
            if (present) {
                over.put(BUCKET_TICKS[b], (long) (gaps - delta(before, after, bucket)));
            } else {
                over.putNull(BUCKET_TICKS[b]);
            }
        }
    }

    private static double delta(List<Map<String, Double>> before, List<Map<String, Double>> after, String key) {
        double sum = 0;
        for (int i = 0; i < before.size(); i++) {
            sum += after.get(i).getOrDefault(key, 0.0) - before.get(i).getOrDefault(key, 0.0);
        }
        return sum;
    }

    /** The counters this benchmark reads, per node id; a node that does not answer has an empty map. */
    private Map<String, Map<String, Double>> scrapeAll() {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (NodeProcess n : cluster.nodes()) {
            Map<String, Double> m = new HashMap<>();
            NodeMetrics.scrape(n).ifPresent(body -> {
                for (String name : List.of("ratchet_raft_snapshot_seconds_count", "ratchet_raft_snapshot_seconds_sum",
                        "ratchet_raft_snapshot_capture_seconds_sum", GAP + "_count")) {
                    put(m, name, NodeMetrics.sumIn(body, name, ""));
                }
                // Each bound looked up by its value (ticks of the nodes' default 50 ms heartbeat): a bucket that
                // is missing leaves its count out rather than counting every gap as above it.
                List<String> bounds = NodeMetrics.labelValues(body, GAP + "_bucket", "le");
                for (int b = 0; b < BUCKET_TICKS.length; b++) {
                    double seconds = Double.parseDouble(BUCKET_TICKS[b]) * TICK_SECONDS;
                    for (String bound : bounds) {
                        if (!bound.equals("+Inf") && Math.abs(Double.parseDouble(bound) - seconds) < 1e-9) {
                            put(m, GAP + "_bucket" + b, NodeMetrics.sumIn(body, GAP + "_bucket", "le=\"" + bound + "\""));
                        }
                    }
                }
            });
            out.put(n.id(), m);
        }
        return out;
    }

    private static void put(Map<String, Double> m, String name, OptionalDouble v) {
        v.ifPresent(d -> m.put(name, d));
    }

    private static long term(NodeProcess node) {
        return KvClient.view(node).map(KvClient.RaftView::term).orElse(-1L);
    }
}
