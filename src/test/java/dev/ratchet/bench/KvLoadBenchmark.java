package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load against a real 3-node cluster (separate JVMs, mutual TLS between peers, fsync on):
 * N client threads each write 100-byte values (or read linearizably) through the REST API as fast as
 * answers come back. Writes go to the leader ("leader" mode, as a Raft-aware client would) or spread
 * over all nodes ("spread" mode, as behind a Kubernetes Service). Not a test: run by tools/bench.sh.
 *
 * <p>Arguments (all optional): {@code warmup=120 duration=60 clients=1,64 out=target/benchmarks/kv.json}.
 */
public final class KvLoadBenchmark {

    private static final byte[] VALUE = new byte[100];

    private KvLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("warmup", "120", "duration", "60", "clients", "1,64",
                "out", "target/benchmarks/kv.json"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        int warmup = Integer.parseInt(opts.get("warmup"));
        int duration = Integer.parseInt(opts.get("duration"));
        List<Integer> clientCounts = new ArrayList<>();
        for (String c : opts.get("clients").split(",")) {
            clientCounts.add(Integer.parseInt(c.strip()));
        }
        List<String> results = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster("bench", 3, List.of())) {
            cluster.start();
            NodeProcess leader = cluster.awaitLeader();
            System.out.printf("cluster up; leader %s; warming up %d s%n", leader.id(), warmup);
            run("warmup", List.of(leader), 16, warmup, false);
            for (int clients : clientCounts) {
                results.add(run("write-leader", List.of(leader), clients, duration, false));
                results.add(run("write-spread", cluster.nodes(), clients, duration, false));
                results.add(run("read-linearizable-spread", cluster.nodes(), clients, duration, true));
            }
        }
        Path out = Path.of(opts.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "[\n  " + String.join(",\n  ", results) + "\n]\n");
        System.out.println("results written to " + out.toAbsolutePath());
    }

    private static String run(String name, List<NodeProcess> targets, int clients, int seconds, boolean reads)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch done = new CountDownLatch(clients);
        if (reads) {
            for (int k = 0; k < 64; k++) {
                send(http, targets.get(0).url("/api/v1/kv/bench/r" + k), false);
            }
        }
        long begin = System.nanoTime();
        // Each client stops at the end of the window by itself; the main thread only waits for them.
        long deadline = begin + seconds * 1_000_000_000L;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long i = 0;
                while (System.nanoTime() - deadline < 0) {
                    NodeProcess target = targets.get((int) ((client + i) % targets.size()));
                    URI uri = target.url("/api/v1/kv/bench/" + (reads ? "r" + (i % 64) : "c" + client + "-" + (i % 1000)));
                    long start = System.nanoTime();
                    boolean success = send(http, uri, reads);
                    long micros = (System.nanoTime() - start) / 1000;
                    if (success) {
                        recorder.recordValue(Math.max(1, micros));
                        ok.increment();
                    } else {
                        failed.increment();
                    }
                    i++;
                }
                done.countDown();
            }, "bench-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - begin) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        String json = String.format(Locale.ROOT,
                "{\"name\":\"%s\",\"clients\":%d,\"seconds\":%.1f,\"ok\":%d,\"failed\":%d,\"perSecond\":%.1f,"
                        + "\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}",
                name, clients, elapsed, ok.sum(), failed.sum(), ok.sum() / elapsed,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
        System.out.println(json);
        return json;
    }

    private static boolean send(HttpClient http, URI uri, boolean read) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        HttpRequest request = read ? b.GET().build() : b.PUT(HttpRequest.BodyPublishers.ofByteArray(VALUE)).build();
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
