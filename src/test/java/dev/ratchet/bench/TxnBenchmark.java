package dev.ratchet.bench;

import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Transaction throughput (issue 15): {@code clients} closed-loop threads, each a compare-and-set chain on
 * its own guard key: {@code POST /api/v1/txn} comparing the guard's revision (absence for the first), whose
 * success branch puts the guard and a data key; the answer's revision is the next compare's. Every
 * transaction should take the success branch: a failure branch or a non-200 counts as failed. Requests go
 * to the nodes in turn (followers forward writes). {@link #run} blocks for the window.
 */
final class TxnBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** One window with {@code clients} clients; {@code round} keeps guard keys of different windows apart. */
    ObjectNode run(List<NodeProcess> nodes, int clients, Duration length, int round) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch done = new CountDownLatch(clients);
        long begin = System.nanoTime();
        long deadline = begin + length.toNanos();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                String guard = "bench/txn/r" + round + "-c" + client;
                long revision = 0; // 0: the guard does not exist yet
                for (long i = 0; System.nanoTime() - deadline < 0; i++) {
                    NodeProcess node = nodes.get((int) ((client + i) % nodes.size()));
                    long start = System.nanoTime();
                    long next = txn(node, guard, revision, i);
                    if (next > 0) {
                        recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                        ok.increment();
                        revision = next;
                    } else {
                        failed.increment();
                        if (next == 0) {
                            break; // the failure branch ran: the chain is broken, which should never happen
                        }
                    }
                }
                done.countDown();
            }, "bench-txn-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        double seconds = (System.nanoTime() - begin) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("clients", clients).put("ok", ok.sum()).put("failed", failed.sum())
                .put("opsPerSecond", Math.round(ok.sum() / seconds * 10) / 10.0)
                .put("p50Ms", h.getValueAtPercentile(50) / 1000.0).put("p99Ms", h.getValueAtPercentile(99) / 1000.0)
                .put("maxMs", h.getMaxValue() / 1000.0);
        System.out.println("txn: " + o);
        return o;
    }

    /** One transaction: the guard's new revision, 0 if the failure branch ran, -1 if the request failed. */
    private long txn(NodeProcess node, String guard, long revision, long i) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode compare = body.putArray("compare").addObject().put("key", guard);
        if (revision == 0) {
            compare.put("exists", false);
        } else {
            compare.put("revision", revision);
        }
        String value = Base64.getEncoder().encodeToString(Long.toString(i).getBytes());
        var success = body.putArray("success");
        success.addObject().putObject("put").put("key", guard).put("value", value);
        success.addObject().putObject("put").put("key", guard + "-data-" + (i % 100)).put("value", value);
        body.putArray("failure");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.url("/api/v1/txn")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            JsonNode answer = Json.MAPPER.readTree(r.body());
            return answer.path("succeeded").asBoolean() ? answer.path("revision").asLong() : 0;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
