package dev.ratchet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The reference half of the load matrix: the same workloads, value sizes, client counts and closed-loop
 * {@link LoadWindow} as {@link ClusterBenchmark}, after a plain {@code warmup=}-second write warm-up (etcd
 * is compiled ahead of time: it has no JIT to wait for), run against an etcd cluster of each selected
 * size, written to {@code etcd.json} in the shared row schema. Leader workloads go to the member that leads
 * at the start of each window, spread workloads to every member in turn. Blocks for the matrix.
 */
final class EtcdBenchmark {

    private static final int WARMUP_CLIENTS = 16;

    private final BenchmarkArgs args;
    private final EtcdClient etcd = new EtcdClient();
    private final LoadWindow<EtcdCluster.Member> load = new LoadWindow<>(etcd);
    private final ResultsFile results;

    EtcdBenchmark(BenchmarkArgs args) {
        this.args = args;
        this.results = new ResultsFile(args.etcd(), "etcd");
    }

    /**
     * Runs the matrix on a fresh cluster of each size under {@code workDir}.
     *
     * @throws IOException if etcd is not installed or a cluster does not start
     */
    void run(Path workDir) throws IOException, InterruptedException {
        for (int nodes : args.nodes()) {
            System.out.printf("starting a %d-member etcd cluster%n", nodes);
            try (EtcdCluster cluster = EtcdCluster.start(workDir.resolve("etcd-" + nodes + "-" + System.currentTimeMillis()),
                    nodes, etcd)) {
                if (args.warmupSeconds() > 0) {
                    LoadWindow.Result r = load.run(Workload.WRITE, List.of(leader(cluster)), WARMUP_CLIENTS, 100,
                            Duration.ofSeconds(args.warmupSeconds()), 0);
                    System.out.printf("[etcd] warm-up: %.0f writes/s%n", r.perSecond());
                }
                matrix(cluster, nodes);
            }
        }
    }

    private void matrix(EtcdCluster cluster, int nodes) throws IOException, InterruptedException {
        for (int size : args.sizes()) {
            if (args.workloads().stream().anyMatch(Workload::reads) && !load.preload(leader(cluster), size)) {
                System.out.printf("[etcd] warning: some read keys of %d bytes were not written%n", size);
            }
            for (int clients : args.clients()) {
                for (Workload w : args.workloads()) {
                    List<EtcdCluster.Member> targets = w.spread() ? cluster.members() : List.of(leader(cluster));
                    ServerCpu cpu = new ServerCpu(cluster.members().stream().map(m -> m.process().pid()).toList());
                    Duration cpuBefore = cpu.total();
                    LoadWindow.Result r = load.run(w, targets, clients, size, Duration.ofSeconds(args.durationSeconds()), 0);
                    BenchmarkRow row = BenchmarkRow.of("etcd", nodes, w.jsonName(), size, clients, r.seconds(), r.ok(),
                            r.failed(), r.micros()).withServerCpu(cpu.total().minus(cpuBefore));
                    System.out.println("[etcd] " + row.toJson());
                    results.add(row);
                }
            }
        }
    }

    private EtcdCluster.Member leader(EtcdCluster cluster) throws IOException {
        return cluster.awaitLeader(etcd, Duration.ofSeconds(30));
    }
}
