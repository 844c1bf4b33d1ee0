package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a fresh cluster with distinct keys (100-byte values) as fast as it takes them, then reports each
 * node's resident memory and heap. Each key is retried a few times before it counts as lost. Blocks
 * until every key was written or given up.
 */
final class MemoryBenchmark {

    private static final int ATTEMPTS_PER_KEY = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final LocalCluster cluster;
    private final KvClient kv;

    MemoryBenchmark(LocalCluster cluster, KvClient kv) {
        this.cluster = cluster;
        this.kv = kv;
    }

    ObjectNode run(int keys, int clients) throws InterruptedException {
        NodeProcess leader = cluster.awaitLeader();
        AtomicLong next = new AtomicLong();
        LongAdder stored = new LongAdder();
        LongAdder lost = new LongAdder();
        long progressStep = Math.max(1, keys / 10);
        CountDownLatch done = new CountDownLatch(clients);
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                byte[] value = new byte[100];
                for (long k = next.getAndIncrement(); k < keys; k = next.getAndIncrement()) {
                    boolean ok = false;
                    for (int a = 0; a < ATTEMPTS_PER_KEY && !ok; a++) {
                        ok = kv.put(leader, "m" + k, value, TIMEOUT);
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
        double seconds = (System.nanoTime() - begin) / 1e9;
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("keys", keys);
        section.put("valueBytes", 100);
        section.put("stored", stored.sum());
        section.put("lost", lost.sum());
        section.put("seconds", BenchmarkRow.round(seconds, 1));
        section.put("writesPerSecond", BenchmarkRow.round(stored.sum() / seconds, 1));
        ArrayNode perNode = section.putArray("nodes");
        for (NodeProcess n : cluster.nodes()) {
            ObjectNode o = perNode.addObject();
            o.put("node", n.id());
            java.util.Optional<Long> pid = NodeMetrics.pid(n);
            pid.flatMap(NodeMetrics::rssBytes).ifPresentOrElse(rss -> o.put("rssBytes", rss),
                    () -> o.putNull("rssBytes"));
            // Heap in use now, and the old generation's size after the last collection (what stays live).
            NodeMetrics.sum(n, "jvm_memory_used_bytes", "area=\"heap\"").ifPresentOrElse(
                    v -> o.put("heapUsedBytes", (long) v), () -> o.putNull("heapUsedBytes"));
            // 0 until the first full collection: then there is no figure yet.
            double live = NodeMetrics.sum(n, "jvm_gc_live_data_size_bytes", "").orElse(0);
            if (live > 0) {
                o.put("liveDataAfterGcBytes", (long) live);
            } else {
                o.putNull("liveDataAfterGcBytes");
            }
            // Last, since it collects: the live set, when the JDK's jcmd can ask the node for a full GC.
            if (pid.isPresent() && Jcmd.fullGc(pid.get())) {
                NodeMetrics.sum(n, "jvm_memory_used_bytes", "area=\"heap\"").ifPresentOrElse(
                        v -> o.put("heapAfterFullGcBytes", (long) v), () -> o.putNull("heapAfterFullGcBytes"));
            } else {
                o.putNull("heapAfterFullGcBytes");
            }
            NodeMetrics.sum(n, "jvm_memory_max_bytes", "area=\"heap\"").ifPresentOrElse(
                    v -> o.put("heapMaxBytes", (long) v), () -> o.putNull("heapMaxBytes"));
        }
        System.out.println("[memory] " + section);
        return section;
    }
}
