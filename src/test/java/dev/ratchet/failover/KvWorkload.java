package dev.ratchet.failover;

import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.linearizability.History;
import dev.ratchet.linearizability.KvInput;
import dev.ratchet.linearizability.KvOutput;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients that keep reading and writing a real cluster through its REST API while a scenario breaks
 * things, recording what they saw for the checks afterwards:
 * <ul>
 *   <li>puts and linearizable gets on a few shared keys, in a {@link History} for the linearizability
 *       checker (any answer other than a definite one is recorded as unknown, never as a failure);</li>
 *   <li>writes of unique keys under {@code u/}, each acknowledged one remembered with its etag, so every
 *       node can be checked for every acknowledged write;</li>
 *   <li>the longest stretch without any successful write (the unavailability a client saw).</li>
 * </ul>
 * A client that gets no answer or a 5xx moves on to the next node, as a client behind a Service would.
 *
 * <p>Thread-safety: start/stop from one thread; the accessors may be called while clients run.
 */
final class KvWorkload implements AutoCloseable {

    static final int HOT_KEYS = 12;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** How long a client waits once every node failed it in a row. */
    private static final Duration OUTAGE_BACKOFF = Duration.ofMillis(100);

    private final List<NodeProcess> nodes;
    private final int clients;
    private final long seed;
    private final History<KvInput, KvOutput> history = new History<>();
    private final Map<String, String> ackedUnique = new ConcurrentHashMap<>();
    private final LongAdder okWrites = new LongAdder();
    private final LongAdder unknownOps = new LongAdder();
    private final AtomicLong lastWriteNanos = new AtomicLong();
    private final AtomicLong longestOutageNanos = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger failureCount = new java.util.concurrent.atomic.AtomicInteger();
    private final long startNanos = System.nanoTime();
    private volatile long longestOutageEndNanos = startNanos;
    private volatile boolean running;
    private volatile byte[] uniqueValue = new byte[64];

    KvWorkload(List<NodeProcess> nodes, int clients, long seed) {
        this.nodes = List.copyOf(nodes);
        this.clients = clients;
        this.seed = seed;
    }

    void start() {
        running = true;
        lastWriteNanos.set(System.nanoTime());
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> runClient(client), "workload-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Makes later unique writes {@code bytes} long (to fill a disk faster). */
    void uniqueValueSize(int bytes) {
        uniqueValue = new byte[bytes];
    }

    /** Stops the clients and waits for their last request to end. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(REQUEST_TIMEOUT.multipliedBy(3).toMillis());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    History<KvInput, KvOutput> history() {
        return history;
    }

    /** Acknowledged unique writes: key → etag. */
    Map<String, String> ackedUnique() {
        return Map.copyOf(ackedUnique);
    }

    long okWrites() {
        return okWrites.sum();
    }

    long unknownOps() {
        return unknownOps.sum();
    }

    /** The longest time between two successful writes seen so far (including the open stretch now). */
    Duration longestWriteOutage() {
        long open = System.nanoTime() - lastWriteNanos.get();
        return Duration.ofNanos(Math.max(longestOutageNanos.get(), running ? open : 0));
    }

    /** Forgets outages so far: a scenario measures only its own phase. */
    void resetOutage() {
        lastWriteNanos.set(System.nanoTime());
        longestOutageNanos.set(0);
    }

    private void runClient(int client) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + client);
        int target = client % nodes.size();
        long seq = 0;
        int failedInARow = 0;
        while (running) {
            seq++;
            int dice = random.nextInt(10);
            boolean ok;
            if (dice < 4) {
                ok = hotPut(client, target, "h" + random.nextInt(HOT_KEYS), "c" + client + "-" + seq);
            } else if (dice < 8) {
                ok = hotGet(client, target, "h" + random.nextInt(HOT_KEYS));
            } else {
                ok = uniquePut(target, "u/c" + client + "/" + seq);
            }
            if (!ok) {
                target = (target + 1) % nodes.size();
                failedInARow++;
                if (failedInARow >= nodes.size()) {
                    // Every node refused in turn (the cluster is down on purpose): back off as a real
                    // client would, or a long outage fills the history with thousands of unknown
                    // outcomes per second and the checker cannot decide it.
                    java.util.concurrent.locks.LockSupport.parkNanos(OUTAGE_BACKOFF.toNanos());
                }
            } else {
                failedInARow = 0;
            }
        }
    }

    private boolean hotPut(int client, int target, String key, String value) {
        int op = history.invoke(client, new KvInput.Put(key, value), System.nanoTime());
        HttpResponse<String> r = send(put(target, key, value.getBytes(StandardCharsets.UTF_8)));
        // 201 when the PUT created the key, 200 when it replaced it.
        if (r != null && (r.statusCode() == 200 || r.statusCode() == 201)) {
            history.ok(op, KvOutput.ack(), System.nanoTime());
            wrote();
            return true;
        }
        history.info(op, System.nanoTime());
        unknownOps.increment();
        return false;
    }

    private boolean hotGet(int client, int target, String key) {
        int op = history.invoke(client, new KvInput.Get(key), System.nanoTime());
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(target, key)).timeout(REQUEST_TIMEOUT).GET().build());
        if (r != null && (r.statusCode() == 200 || r.statusCode() == 404)) {
            history.ok(op, KvOutput.read(r.statusCode() == 200 ? r.body() : null), System.nanoTime());
            return true;
        }
        history.info(op, System.nanoTime());
        unknownOps.increment();
        return false;
    }

    private boolean uniquePut(int target, String key) {
        HttpResponse<String> r = send(put(target, key, uniqueValue));
        if (r != null && (r.statusCode() == 200 || r.statusCode() == 201)) {
            String etag = r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("a write without an ETag"));
            ackedUnique.put(key, etag.replace("\"", ""));
            wrote();
            return true;
        }
        unknownOps.increment();
        return false;
    }

    private void wrote() {
        okWrites.increment();
        long now = System.nanoTime();
        long previous = lastWriteNanos.getAndSet(now);
        if (now - previous > longestOutageNanos.get()) {
            longestOutageNanos.accumulateAndGet(now - previous, Math::max);
            longestOutageEndNanos = now;
        }
    }

    /** Seconds since the workload started (the clock of {@link #failures()}). */
    double secondsSinceStart(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    /** When the longest stretch without a successful write ended, on the {@link #failures()} clock. */
    double longestOutageEndedAt() {
        return secondsSinceStart(longestOutageEndNanos);
    }

    private HttpRequest put(int target, String key, byte[] value) {
        return HttpRequest.newBuilder(uri(target, key)).timeout(REQUEST_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
    }

    private URI uri(int target, String key) {
        return nodes.get(target).url("/api/v1/kv/" + key);
    }

    /** Failed requests (when, which node, what came back, how long it took), oldest first, at most 20,000. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void failed(HttpRequest request, long began, String what) {
        if (failureCount.incrementAndGet() <= 20_000) {
            long now = System.nanoTime();
            failures.add("%9.3f s %-4s %s -> %s after %d ms".formatted((began - startNanos) / 1e9, request.method(),
                    request.uri(), what, (now - began) / 1_000_000));
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        long began = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300 && r.statusCode() != 404) {
                String body = r.body().replaceAll("\\s+", " ");
                failed(request, began, r.statusCode() + " " + body.substring(0, Math.min(200, body.length())));
            }
            return r;
        } catch (IOException e) {
            failed(request, began, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }
}
