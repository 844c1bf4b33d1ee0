package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The load matrix on one running cluster: a warm-up (16 clients, 100-byte writes, until steady), then for each
 * value size, client count and workload one measured window. The leader workloads go to the leader
 * (looked up before each window); the spread ones and stale reads go to every node in turn. Blocks for the
 * matrix.
 */
final class ClusterBenchmark {

    private static final int WARMUP_CLIENTS = 16;
    private static final Duration SLICE = Duration.ofSeconds(5);

    private final LocalCluster cluster;
    private final BenchmarkArgs args;
    private final LoadWindow<NodeProcess> load;
    private final ResultsFile results;

    ClusterBenchmark(LocalCluster cluster, BenchmarkArgs args, KvClient kv, ResultsFile results) {
        this.cluster = cluster;
        this.args = args;
        this.load = new LoadWindow<>(kv);
        this.results = results;
    }

    /**
     * The warm-up; call once per cluster before anything is measured on it. It alternates 5-second slices
     * of writes to the leader and writes spread over every node (a follower whose HTTP and forwarding code
     * never ran hot would make the first spread window measure its JIT warming up) for at least
     * {@code warmup} seconds, and then goes on, up to three times that, until both rates are steady
     * ({@link SteadyRate}). Prints every slice, and says so if the cap came first.
     */
    void warmUp() throws InterruptedException {
        if (args.warmupSeconds() == 0) {
            return;
        }
        NodeProcess leader = cluster.awaitLeader();
        System.out.printf("[matrix] %d nodes: warming up at least %d s, until steady (leader %s)%n",
                cluster.nodes().size(), args.warmupSeconds(), leader.id());
        SteadyRate steady = new SteadyRate(2);
        long minimum = args.warmupSeconds() * 1_000_000_000L;
        long cap = 3 * minimum;
        long start = System.nanoTime();
        StringBuilder slices = new StringBuilder();
        while (true) {
            LoadWindow.Result r = load.run(Workload.WRITE, List.of(leader), WARMUP_CLIENTS, 100, SLICE, 0);
            LoadWindow.Result spread = load.run(Workload.WRITE_SPREAD, cluster.nodes(), WARMUP_CLIENTS, 100, SLICE, 0);
            steady.record(0, r.perSecond());
            steady.record(1, spread.perSecond());
            slices.append(String.format(" %.0f/%.0f", r.perSecond(), spread.perSecond()));
            long elapsed = System.nanoTime() - start;
            if (elapsed >= minimum && steady.steady()) {
                break;
            }
            if (elapsed >= cap) {
                System.out.printf("[matrix] warning: write rates still not steady after %d s%n", cap / 1_000_000_000L);
                break;
            }
        }
        System.out.printf("[matrix] warm-up (%d s): writes/s to the leader / spread per %d-s slice:%s%n",
                (System.nanoTime() - start) / 1_000_000_000L, SLICE.toSeconds(), slices);
    }

    /** Reads every node hot (stale reads of the preloaded keys) before the first read window; not recorded. */
    private void warmUpReads(int size) throws InterruptedException {
        if (args.warmupSeconds() == 0) {
            return;
        }
        LoadWindow.Result r = load.run(Workload.READ_STALE, cluster.nodes(), WARMUP_CLIENTS, size,
                Duration.ofMillis(args.warmupSeconds() * 500L), 0);
        System.out.printf("[matrix] read warm-up: %.0f stale reads/s over every node%n", r.perSecond());
    }

    /** Runs every selected window; returns the highest write rate seen with 100-byte values (0 if none). */
    double runMatrix() throws InterruptedException, IOException {
        int nodes = cluster.nodes().size();
        double peakWrites = 0;
        for (int size : args.sizes()) {
            boolean reads = args.workloads().stream().anyMatch(Workload::reads);
            if (reads && !load.preload(cluster.awaitLeader(), size)) {
                System.out.printf("[matrix] warning: some read keys of %d bytes were not written%n", size);
            }
            if (reads) {
                warmUpReads(size);
            }
            for (int clients : args.clients()) {
                for (Workload w : args.workloads()) {
                    List<NodeProcess> targets = w.spread() ? cluster.nodes() : List.of(cluster.awaitLeader());
                    ServerCpu cpu = new ServerCpu(cluster.nodes().stream().map(NodeProcess::pid).toList());
                    Duration cpuBefore = cpu.total();
                    LoadWindow.Result r = load.run(w, targets, clients, size,
                            Duration.ofSeconds(args.durationSeconds()), 0);
                    BenchmarkRow row = BenchmarkRow.of("ratchet", nodes, w.jsonName(), size, clients, r.seconds(),
                            r.ok(), r.failed(), r.micros()).withServerCpu(cpu.total().minus(cpuBefore));
                    System.out.println("[matrix] " + row.toJson());
                    results.add(row);
                    if (w == Workload.WRITE && size == 100) {
                        peakWrites = Math.max(peakWrites, row.perSecond());
                    }
                }
            }
        }
        return peakWrites;
    }

    /** A closed-loop write window used only to find the peak rate when the matrix did not run. */
    double measurePeakWrites(int clients) throws InterruptedException {
        LoadWindow.Result r = load.run(Workload.WRITE, List.of(cluster.awaitLeader()), clients, 100,
                Duration.ofSeconds(args.durationSeconds()), 0);
        System.out.printf("[stability] peak: %.0f writes/s with %d clients%n", r.perSecond(), clients);
        return r.perSecond();
    }
}
