package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of {@code tools/bench.sh}: runs the selected parts of Ratchet's benchmark on real node
 * processes on loopback and writes {@code target/benchmarks/ratchet.json} (after each part, so an
 * interrupted run keeps what it measured), then regenerates the report. Not a test.
 *
 * <p>Arguments ({@link BenchmarkArgs}): {@code parts=etcd,disk,matrix,stability,failover,startup,watch,txn,memory,rejoin,slowdisk|report
 * nodes=3,5 sizes=100,4096 clients=1,16,32,64,256 workloads=write,read-linearizable,read-stale warmup=120
 * duration=30 failover=20 writers=4 rejoin=1,2,4 root-life=60 keys=1000000 memory-clients=64 startups=3 stability=600
 * watchers=1000 watch-rate=100 out=... ratis=... etcd=... report=...}. {@code watch} (1 writer at watch-rate, watchers
 * SSE watches over the nodes: events/s and delivery delay) and {@code txn} (closed-loop compare-and-set
 * transactions for each clients value, duration seconds each) run on the shared 3-node cluster. The {@code etcd} part runs the matrix against a 3-member etcd
 * (Debian's etcd-server) into {@code etcd.json}; {@code disk} measures one fsync of this disk. {@code slowdisk}
 * ({@link SlowDiskBenchmark}; only when named, since it needs gcc to build its preloaded fsync delay, or with
 * {@value #INJECTION_ENV}=strace strace with ptrace permission, checked before anything starts) compares write throughput with +30 ms per leader fsync against a healthy run, {@code clients} default 16,64.
 *
 * <p>Clusters: one 3-node cluster (default Raft timings) is shared by the 3-node matrix, stability,
 * failover and the restart half of start-up, in that order; the 5-node matrix, slowdisk, memory and rejoin (fast
 * rotation) each get a fresh cluster.
 */
public final class RatchetBenchmark {

    /** {@code preload} (default: the preloaded library, {@link PreloadedFsyncDelay}) or {@code strace}. */
    static final String INJECTION_ENV = "RATCHET_BENCH_FSYNC_INJECTION";

    private final BenchmarkArgs args;
    private final PreloadedFsyncDelay preload;
    private final KvClient kv = new KvClient();
    private final ResultsFile results;
    private final List<LocalCluster> open = new ArrayList<>();
    private LocalCluster shared;
    private boolean sharedWarm;

    private RatchetBenchmark(BenchmarkArgs args, PreloadedFsyncDelay preload) {
        this.args = args;
        this.preload = preload;
        this.results = new ResultsFile(args.out(), "ratchet");
    }

    public static void main(String[] argv) throws Exception {
        BenchmarkArgs args;
        try {
            args = BenchmarkArgs.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        PreloadedFsyncDelay preload = null;
        if (args.runs("slowdisk")) {
            // Before any part runs: finding out after hours of other parts and a warm-up would waste the run.
            String injection = System.getenv().getOrDefault(INJECTION_ENV, "preload");
            if (injection.equals("preload")) {
                preload = PreloadedFsyncDelay.build(Path.of("target", "bench")).orElse(null);
                if (preload == null) {
                    System.err.println("bench: the slowdisk part cannot build its fsync delay library; "
                            + INJECTION_ENV + "=strace attaches strace instead");
                    System.exit(2);
                    return;
                }
            } else if (injection.equals("strace")) {
                Optional<String> why = FsyncDelay.unavailable(Path.of("target", "cluster-tests"));
                if (why.isPresent()) {
                    System.err.println("bench: the slowdisk part needs strace attached to a node process: " + why.get());
                    System.exit(2);
                    return;
                }
            } else {
                System.err.println("bench: " + INJECTION_ENV + " must be preload or strace, not '" + injection + "'");
                System.exit(2);
                return;
            }
        }
        if (!(args.parts().size() == 1 && args.runs("report"))) {
            RatchetBenchmark bench = new RatchetBenchmark(args, preload);
            try {
                bench.runParts();
            } finally {
                bench.closeAll();
            }
            System.out.println("results written to " + args.out().toAbsolutePath());
        }
        try {
            BenchmarkReport.write(args.out(), args.ratis(), args.etcd(), args.report());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("bench: no report: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("report written to " + args.report().toAbsolutePath());
        System.exit(0); // HTTP client and node-watcher threads must not keep the JVM up
    }

    private void runParts() throws Exception {
        double peak3 = 0;
        if (args.runs("disk")) {
            // The same file system as the nodes' data directories (LocalCluster puts them under target/).
            results.section("disk", FsyncProbe.measure(Path.of("target", "cluster-tests"), 2000));
        }
        if (args.runs("etcd")) {
            new EtcdBenchmark(args).run(Path.of("target", "cluster-tests"));
        }
        if (args.runs("matrix")) {
            for (int nodes : args.nodes()) {
                LocalCluster cluster = nodes == 3 ? shared() : start("bench-" + nodes, nodes, List.of());
                ClusterBenchmark matrix = new ClusterBenchmark(cluster, args, kv, results);
                matrix.warmUp();
                double peak = matrix.runMatrix();
                if (cluster == shared) {
                    sharedWarm = true;
                    peak3 = peak;
                } else {
                    close(cluster);
                }
            }
        }
        if (args.runs("stability") && args.stabilitySeconds() > 0) {
            ClusterBenchmark cb = new ClusterBenchmark(shared(), args, kv, results);
            if (!sharedWarm) {
                cb.warmUp();
                sharedWarm = true;
            }
            if (peak3 == 0) {
                peak3 = cb.measurePeakWrites(64);
            }
            results.section("stability", new StabilityBenchmark(shared(), kv).run(peak3, args.stabilitySeconds()));
        }
        if (args.runs("failover") && args.failoverKills() > 0) {
            results.section("failover", new FailoverBenchmark(shared(), kv).run(args.failoverKills(),
                    args.failoverWriters()));
        }
        if (args.runs("startup") && args.startupSamples() > 0) {
            results.section("startup", StartupBenchmark.run(shared(), args.startupSamples()));
        }
        if (args.runs("watch")) {
            results.section("watch", new WatchBenchmark(shared(), kv).run(args.watchers(), args.watchRate(),
                    java.time.Duration.ofSeconds(args.durationSeconds())));
        }
        if (args.runs("txn")) {
            var txn = Json.MAPPER.createObjectNode();
            var rows = txn.putArray("rows");
            TxnBenchmark bench = new TxnBenchmark();
            int round = 0;
            for (int clients : args.clients()) {
                rows.add(bench.run(shared().nodes(), clients, java.time.Duration.ofSeconds(args.durationSeconds()), round++));
                results.section("txn", txn);
            }
        }
        if (shared != null) {
            close(shared);
            shared = null;
        }
        if (args.runs("slowdisk")) {
            // Its own cluster, started once the shared one is closed so two clusters never share the cores: the
            // shared cluster's nodes may have been restarted (failover, start-up) and would not be warm.
            LocalCluster cluster = start("bench-slowdisk", 3, List.of(), preload);
            new SlowDiskBenchmark(cluster, args, kv, results, preload).run();
            close(cluster);
        }
        if (args.runs("http2")) {
            String h2load = Http2Benchmark.h2load().orElseThrow(() -> new IllegalStateException(
                    "the http2 part needs h2load: apt-get install nghttp2-client"));
            LocalCluster cluster = start("bench-http2", 3, List.of("--server.http2.enabled=true"));
            results.section("http2", new Http2Benchmark(cluster, kv, Path.of("target", "bench", "http2"))
                    .run(h2load, args.clients(), args.warmupSeconds(), args.durationSeconds()));
            close(cluster);
        }
        if (args.runs("memory")) {
            LocalCluster cluster = start("bench-memory", 3, List.of());
            results.section("memory", new MemoryBenchmark(cluster, kv).run(args.keys(), args.memoryClients()));
            close(cluster);
        }
        if (args.runs("rejoin")) {
            LocalCluster cluster = start("bench-rejoin", 3, RejoinBenchmark.fastRotation(args.rootLifeSeconds()));
            results.section("rejoin", new RejoinBenchmark(cluster, kv, args.rootLifeSeconds())
                    .run(args.rejoinMissed()));
            close(cluster);
        }
    }

    private LocalCluster shared() throws IOException {
        if (shared == null) {
            shared = start("bench-3", 3, List.of());
        }
        return shared;
    }

    private LocalCluster start(String name, int nodes, List<String> extraArgs) throws IOException {
        return start(name, nodes, extraArgs, null);
    }

    /** @param delay the preloaded fsync delay to prepare the nodes for, or null for none */
    private LocalCluster start(String name, int nodes, List<String> extraArgs, PreloadedFsyncDelay delay)
            throws IOException {
        System.out.printf("starting a %d-node cluster (%s)%n", nodes, name);
        LocalCluster cluster = new LocalCluster(name, nodes, extraArgs);
        if (delay != null) {
            delay.prepare(cluster);
        }
        open.add(cluster);
        cluster.start();
        return cluster;
    }

    private void close(LocalCluster cluster) {
        cluster.close();
        open.remove(cluster);
    }

    private void closeAll() {
        for (LocalCluster c : List.copyOf(open)) {
            close(c);
        }
    }
}
