package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watch fan-out (issue 15): {@code watchers} SSE watches on one prefix, spread over the nodes in turn, and
 * one writer putting keys under it at a fixed rate, each value the writer's {@link System#nanoTime} just
 * before the request (same JVM as the watchers, so the clocks agree). Each delivered event's delay is
 * receive time minus that stamp. Watches are read by the JDK client's own selector and executor through a
 * line subscriber: no thread per watch. {@link #run} blocks for the window plus a drain.
 */
final class WatchBenchmark {

    private static final String PREFIX = "bench/watch/";
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(120);
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final LocalCluster cluster;
    private final KvClient kv;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Recorder delays = new Recorder(3);
    /** Acknowledged writes' latency (µs): do the watchers slow the writer down? */
    private final Recorder writeLatency = new Recorder(3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder broken = new LongAdder();
    /** Why the first watch broke (a status or an exception), for the report. */
    private final AtomicReference<String> firstBreak = new AtomicReference<>();

    WatchBenchmark(LocalCluster cluster, KvClient kv) {
        this.cluster = cluster;
        this.kv = kv;
    }

    /** Opens the watches, writes {@code rate} keys per second for {@code length}, and reports what arrived. */
    ObjectNode run(int watchers, double rate, Duration length) throws InterruptedException {
        List<NodeProcess> nodes = cluster.nodes();
        awaitLinearizableReads(nodes);
        CountDownLatch open = new CountDownLatch(watchers);
        List<EventLines> streams = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            EventLines lines = new EventLines();
            streams.add(lines);
            NodeProcess node = nodes.get(w % nodes.size());
            HttpRequest request = HttpRequest.newBuilder(node.url("/api/v1/watch?prefix=" + PREFIX))
                    .header("Accept", "text/event-stream").GET().build();
            http.sendAsync(request, info -> {
                if (info.statusCode() == 200) {
                    open.countDown();
                    return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
                }
                broken.increment();
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                        body -> {
                            firstBreak.compareAndSet(null, "status " + info.statusCode() + ": " + body);
                            return null;
                        });
            }).whenComplete((r, e) -> {
                if (e != null) {
                    broken.increment();
                    firstBreak.compareAndSet(null, e.toString());
                }
            });
        }
        long connectStart = System.nanoTime();
        boolean allOpen = open.await(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.out.printf("watch: %d of %d watches open in %.1f s; writing %.0f/s for %d s%n",
                watchers - open.getCount(), watchers, connectSeconds, rate, length.toSeconds());
        NodeProcess leader = cluster.awaitLeader();
        delays.getIntervalHistogram(); // nothing before the window counts
        // Puts are sent without waiting for the previous one, so the rate holds however slow a commit is.
        List<CompletableFuture<Integer>> puts = new ArrayList<>();
        long begin = System.nanoTime();
        long interval = (long) (1e9 / rate);
        long end = begin + length.toNanos();
        for (long i = 0; begin + i * interval - end < 0; i++) {
            long wait = begin + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] stamp = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            long sent = System.nanoTime();
            puts.add(kv.putAsync(leader, "watch/k" + (i % 100), stamp, Duration.ofSeconds(10)).whenComplete((c, e) -> {
                if (c != null && (c == 200 || c == 201)) {
                    writeLatency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                }
            }));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        long writes = puts.stream().filter(f -> f.join() == 200 || f.join() == 201).count();
        long failedWrites = puts.size() - writes;
        java.util.Map<Integer, Long> failures = new java.util.TreeMap<>(); // status (-1: no answer in time)
        puts.stream().map(CompletableFuture::join).filter(c -> c != 200 && c != 201)
                .forEach(c -> failures.merge(c, 1L, Long::sum));
        double writeSeconds = (System.nanoTime() - begin) / 1e9; // until the last put was answered
        long expected = writes * (watchers - open.getCount());
        long drainEnd = System.nanoTime() + DRAIN.toNanos();
        while (delivered.sum() < expected && System.nanoTime() - drainEnd < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        Histogram h = delays.getIntervalHistogram();
        Histogram w = writeLatency.getIntervalHistogram();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("watchers", watchers).put("watchersOpen", watchers - open.getCount()).put("allOpen", allOpen)
                .put("connectSeconds", round(connectSeconds)).put("watchersBroken", broken.sum())
                .put("firstBreak", firstBreak.get())
                .put("writeRatePerSecond", rate).put("writes", writes).put("failedWrites", failedWrites)
                .put("failedWriteStatuses", failures.toString())
                .put("writeSeconds", round(writeSeconds))
                .put("writeP50Ms", w.getValueAtPercentile(50) / 1000.0).put("writeP99Ms", w.getValueAtPercentile(99) / 1000.0).put("eventsExpected", expected)
                .put("eventsDelivered", h.getTotalCount()).put("eventsPerSecond", round(h.getTotalCount() / seconds))
                .put("delayP50Ms", h.getValueAtPercentile(50) / 1000.0).put("delayP99Ms", h.getValueAtPercentile(99) / 1000.0)
                .put("delayMaxMs", h.getMaxValue() / 1000.0);
        System.out.println("watch: " + o);
        streams.forEach(EventLines::cancel);
        return o;
    }

    /**
     * Waits until every node serves a linearizable read (it knows the leader and has caught up), so that no
     * watch is refused with 503 because it was opened while the cluster was still electing.
     */
    private void awaitLinearizableReads(List<NodeProcess> nodes) {
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        while (!kv.put(cluster.awaitLeader(), "watch/ready", new byte[] {1}, Duration.ofSeconds(5))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no write reached the cluster in " + CONNECT_WAIT.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        for (NodeProcess node : nodes) {
            while (!kv.get(node, "watch/ready", false, Duration.ofSeconds(5))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(node + " served no linearizable read in " + CONNECT_WAIT.toSeconds() + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * One watch's SSE lines: every {@code data:} line of a change batch yields one delay per event. Called
     * by the HTTP client's executor, one line at a time per watch (Flow rules), several watches at once.
     */
    private final class EventLines implements Flow.Subscriber<String> {
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (!line.startsWith("data:") || !line.contains("\"events\"")) {
                return; // progress events, ids, comments
            }
            int at = 0;
            while ((at = line.indexOf("\"value\":\"", at)) >= 0) {
                int from = at + 9;
                int to = line.indexOf('"', from);
                long stamp = Long.parseLong(new String(Base64.getDecoder().decode(line.substring(from, to)),
                        StandardCharsets.US_ASCII));
                delays.recordValue(Math.max(1, (now - stamp) / 1000));
                delivered.increment();
                at = to;
            }
        }

        @Override
        public void onError(Throwable t) {
            broken.increment();
            firstBreak.compareAndSet(null, "stream: " + t);
        }

        @Override
        public void onComplete() {
        }

        void cancel() {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }
}
