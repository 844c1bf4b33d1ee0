package dev.ratchet.bench.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * The Apache Ratis reference benchmark (issue 9): starts an N-node Ratis cluster (one JVM per peer,
 * gRPC on 127.0.0.1, durable segmented log), warms it up with 16 clients writing 100-byte values, then
 * runs the measured windows of the shared benchmark schema and writes them as JSON. Run by
 * {@code tools/ratis-bench.sh}; see {@code bench/ratis/README.md} for the arguments.
 *
 * <p>Exit status: 0 when every window had successes; 2 for bad arguments or a cluster that did not
 * come up; 3 when some window (or the warm-up) had zero successes — the JSON is written all the same.
 */
public final class RatisLoadBenchmark {

    private static final int SEED_THREADS = 16;

    private RatisLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ratis-bench: " + e.getMessage());
            System.err.println("arguments (key=value, defaults): " + BenchOptions.defaultsForUsage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (IllegalStateException e) {
            System.err.println("ratis-bench: FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                System.err.println("  cause: " + e.getCause());
            }
            status = 2;
        } catch (Exception | Error e) {
            System.err.println("ratis-bench: FAILED unexpectedly:");
            e.printStackTrace();
            status = 2;
        }
        // Ratis/gRPC leave non-daemon threads behind; the cluster is closed already.
        System.exit(status);
    }

    private static int run(BenchOptions o) throws IOException, InterruptedException {
        String startedAt = Instant.now().toString();
        long upTimeoutMillis = TimeUnit.SECONDS.toMillis(System.getenv("CI") != null ? 180 : 60);
        List<WindowResult> rows = new ArrayList<>();
        boolean anyEmptyWindow = false;
        RatisCluster cluster = new RatisCluster(o.nodes(), o.runDir(), o.peerJvm(), o.readOption(), o.clientAttempts());
        List<RaftClient> clients = new ArrayList<>();
        try {
            cluster.start();
            for (int i = 0; i < o.raftClients(); i++) {
                clients.add(cluster.newClient());
            }
            RaftPeerId leader = cluster.awaitLeader(clients.get(0), upTimeoutMillis);
            System.out.printf("Ratis %d-node cluster up on %s; leader %s; readOption=%s; warming up %d s%n", o.nodes(),
                    cluster.layout().encode(), leader, o.readOption(), o.warmupSeconds());
            LoadWindow window = new LoadWindow(clients, o.nodes());
            if (o.warmupSeconds() > 0) {
                WindowResult warm = window.run(Workload.WRITE, 100, 16, o.warmupSeconds(), List.of(leader));
                System.out.println("warm-up " + warm.toJson());
                if (warm.ok() == 0) {
                    throw new IllegalStateException("the warm-up window had zero successful writes");
                }
            }
            for (int size : o.sizes()) {
                if (o.workloads().stream().anyMatch(w -> w != Workload.WRITE)) {
                    seedReadKeys(cluster, clients.get(0), size, upTimeoutMillis);
                }
                for (int clientCount : o.clients()) {
                    for (Workload workload : o.workloads()) {
                        cluster.assertPeersAlive();
                        leader = cluster.awaitLeader(clients.get(0), upTimeoutMillis);
                        WindowResult row = window.run(workload, size, clientCount, o.durationSeconds(),
                                staleTargets(cluster, leader));
                        System.out.println(row.toJson());
                        rows.add(row);
                        anyEmptyWindow |= row.ok() == 0;
                        writeJson(o.out(), startedAt, rows);
                    }
                }
            }
        } finally {
            for (RaftClient c : clients) {
                c.close();
            }
            cluster.close();
        }
        writeJson(o.out(), startedAt, rows);
        if (!o.keepData()) {
            cluster.deleteStorage();
        }
        System.out.println("results written to " + o.out().toAbsolutePath() + "; peer logs in "
                + o.runDir().toAbsolutePath());
        if (anyEmptyWindow) {
            System.err.println("ratis-bench: FAILED: at least one window had zero successes");
            return 3;
        }
        return 0;
    }

    /** Stale reads go to the followers; a one-node cluster has only its leader. */
    private static List<RaftPeerId> staleTargets(RatisCluster cluster, RaftPeerId leader) {
        List<RaftPeerId> followers = new ArrayList<>();
        for (int i = 0; i < cluster.layout().ports().size(); i++) {
            RaftPeerId id = ClusterLayout.peerId(i);
            if (!id.equals(leader)) {
                followers.add(id);
            }
        }
        return followers.isEmpty() ? List.of(leader) : followers;
    }

    /**
     * Writes the {@link LoadWindow#READ_KEYS} read keys of one value size, then waits until every peer
     * has applied them (a stale read with the seeds' highest index as its minimum succeeds there).
     */
    private static void seedReadKeys(RatisCluster cluster, RaftClient client, int size, long timeoutMillis)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(SEED_THREADS);
        long highestIndex = 0;
        try {
            List<Future<RaftClientReply>> replies = new ArrayList<>();
            for (int k = 0; k < LoadWindow.READ_KEYS; k++) {
                String key = LoadWindow.readKey(size, k);
                replies.add(pool.submit(() -> client.io().send(KvCommands.put(key, new byte[size]))));
            }
            for (Future<RaftClientReply> f : replies) {
                RaftClientReply reply = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
                if (!reply.isSuccess()) {
                    throw new IllegalStateException("seeding read keys failed: " + reply.getException());
                }
                highestIndex = Math.max(highestIndex, reply.getLogIndex());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("seeding read keys of " + size + " bytes failed", e);
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < cluster.layout().ports().size(); i++) {
            RaftPeerId peer = ClusterLayout.peerId(i);
            while (true) {
                try {
                    if (client.io().sendStaleRead(KvCommands.get(LoadWindow.readKey(size, 0)), highestIndex, peer)
                            .isSuccess()) {
                        break;
                    }
                } catch (IOException e) {
                    // not applied there yet (StaleReadException), or busy: try again until the deadline
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(peer + " did not apply the seeded read keys up to index "
                            + highestIndex + " in time");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        System.out.printf(Locale.ROOT, "seeded %d read keys of %d bytes (up to log index %d)%n", LoadWindow.READ_KEYS,
                size, highestIndex);
    }

    private static void writeJson(Path out, String startedAt, List<WindowResult> rows) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "{\"system\":\"ratis\",\"host\":{\"cores\":%d,\"java\":\"%s\"},\"startedAt\":\"%s\",\"rows\":[",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), startedAt));
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ").append(rows.get(i).toJson());
        }
        sb.append(rows.isEmpty() ? "]}\n" : "\n]}\n");
        Path tmp = parent.resolve(out.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, out.toAbsolutePath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
