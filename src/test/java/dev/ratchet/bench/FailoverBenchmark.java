package dev.ratchet.bench;

import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Repeated SIGKILL of the leader under a continuous write load. A few writers keep writing, each to one
 * node and on to the next node after any failure (followers forward to the leader). Since a closed-loop
 * writer stuck in a request to a dead leader would only report its own timeout, a probe also sends one
 * write every {@value #PROBE_MILLIS} ms without waiting, to the nodes in turn. For each kill it measures,
 * from the moment the killed process is gone: the first write (writer or probe) sent after that moment
 * and answered 200, and the first survivor reporting itself leader in a newer term. The killed node is then
 * restarted and must be ready before the next kill. Blocks for the whole series.
 */
final class FailoverBenchmark {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final long PROBE_MILLIS = 20;
    private static final int PROBES_IN_FLIGHT = 100;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

    private final LocalCluster cluster;
    private final KvClient kv;
    private final AtomicLong killedAt = new AtomicLong();
    private final AtomicLong firstCommitAfterKill = new AtomicLong(Long.MAX_VALUE);
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean running = true;
    private volatile String firstCommitVia;

    FailoverBenchmark(LocalCluster cluster, KvClient kv) {
        this.cluster = cluster;
        this.kv = kv;
    }

    ObjectNode run(int kills, int writers) throws Exception {
        CountDownLatch stopped = new CountDownLatch(writers);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer, stopped), "failover-writer-" + w);
            t.setDaemon(true);
            t.start();
        }
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "failover-probe");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(PROBES_IN_FLIGHT);
        AtomicLong probes = new AtomicLong();
        probe.scheduleAtFixedRate(() -> probeOnce(probes.getAndIncrement(), inFlight), 0, PROBE_MILLIS,
                TimeUnit.MILLISECONDS);
        List<Long> commitMs = new ArrayList<>();
        List<Long> electedMs = new ArrayList<>();
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("kills", kills);
        section.put("writers", writers);
        section.put("probeEveryMs", PROBE_MILLIS);
        ArrayNode samples = section.putArray("samples");
        try {
            for (int k = 1; k <= kills; k++) {
                ObjectNode sample = killOnce(k);
                samples.add(sample);
                if (sample.get("firstCommitMs").isNumber()) {
                    commitMs.add(sample.get("firstCommitMs").asLong());
                }
                if (sample.get("electedMs").isNumber()) {
                    electedMs.add(sample.get("electedMs").asLong());
                }
                System.out.println("[failover] " + sample);
            }
        } finally {
            running = false;
            probe.shutdownNow();
            stopped.await();
        }
        section.set("firstCommitMs", summary(commitMs, kills));
        section.set("electedMs", summary(electedMs, kills));
        section.put("writesOk", ok.sum());
        section.put("writesFailed", failed.sum());
        return section;
    }

    private ObjectNode killOnce(int k) throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        long oldTerm = KvClient.view(leader).map(KvClient.RaftView::term).orElse(-1L);
        killedAt.set(0); // no write counts until the process is gone
        synchronized (this) {
            firstCommitAfterKill.set(Long.MAX_VALUE);
            firstCommitVia = null;
        }
        leader.kill();
        long killed = System.nanoTime();
        killedAt.set(killed);
        ObjectNode sample = Json.MAPPER.createObjectNode();
        sample.put("kill", k);
        sample.put("killed", leader.id());
        AtomicLong electedAt = new AtomicLong();
        try {
            await().atMost(RECOVERY_LIMIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        for (NodeProcess n : cluster.nodes()) {
                            if (n != leader && KvClient.view(n).filter(v -> v.leads() && v.term() > oldTerm)
                                    .isPresent()) {
                                electedAt.set(System.nanoTime());
                                return true;
                            }
                        }
                        return false;
                    });
            sample.put("electedMs", (electedAt.get() - killed) / 1_000_000);
        } catch (ConditionTimeoutException e) {
            sample.putNull("electedMs");
        }
        try {
            await().atMost(RECOVERY_LIMIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> firstCommitAfterKill.get() != Long.MAX_VALUE);
            sample.put("firstCommitMs", (firstCommitAfterKill.get() - killed) / 1_000_000);
            sample.put("firstCommitVia", firstCommitVia);
        } catch (ConditionTimeoutException e) {
            sample.putNull("firstCommitMs");
        }
        long restartedAt = System.nanoTime();
        leader.start();
        cluster.awaitReady(leader);
        sample.put("restartToReadyMs", (System.nanoTime() - restartedAt) / 1_000_000);
        return sample;
    }

    private void probeOnce(long n, Semaphore inFlight) {
        if (!inFlight.tryAcquire()) {
            return; // every slot waits on a dead node: sending more would only measure the backlog
        }
        List<NodeProcess> nodes = cluster.nodes();
        long start = System.nanoTime();
        NodeProcess target = nodes.get((int) (n % nodes.size()));
        kv.putAsync(target, "probe-" + (n % 100), new byte[100], WRITE_TIMEOUT)
                .whenComplete((status, e) -> {
                    inFlight.release();
                    if (status != null && (status == 200 || status == 201)) {
                        committed(start, System.nanoTime(), target);
                    }
                });
    }

    private void committed(long start, long end, NodeProcess via) {
        long kill = killedAt.get();
        if (kill != 0 && start - kill >= 0) {
            synchronized (this) {
                if (end < firstCommitAfterKill.get()) {
                    firstCommitAfterKill.set(end);
                    firstCommitVia = via.id();
                }
            }
        }
    }

    private void write(int writer, CountDownLatch stopped) {
        List<NodeProcess> nodes = cluster.nodes();
        int target = writer % nodes.size();
        byte[] value = new byte[100];
        long i = 0;
        while (running) {
            long start = System.nanoTime();
            NodeProcess node = nodes.get(target);
            boolean success = kv.put(node, "f" + writer + "-" + (i++ % 100), value, WRITE_TIMEOUT);
            long end = System.nanoTime();
            if (success) {
                ok.increment();
                committed(start, end, node);
            } else {
                failed.increment();
                target = (target + 1) % nodes.size();
            }
        }
        stopped.countDown();
    }

    /** Median and max of the samples that finished, and how many did not. */
    static ObjectNode summary(List<Long> samples, int expected) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("samples", samples.size());
        o.put("missing", expected - samples.size());
        if (!samples.isEmpty()) {
            o.put("median", SampleStats.median(samples));
            o.put("max", SampleStats.max(samples));
        }
        return o;
    }
}
