package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent puts, deletes, prefix deletes, reads and listings from many threads against all three
 * nodes of a real cluster. Fails if any JVM (the test's, or a node's, read through its {@code deadlocks}
 * health indicator) reports deadlocked threads, if an operation stalls past a bound, if a read returns
 * bytes that do not hash to the etag it came with, or if the nodes do not converge afterwards to the
 * same index and exactly the referenced blobs. Duration: {@code -Dratchet.artifacts.stress-seconds}
 * (default 20).
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactStressTest {

    private static final int THREADS = 8;
    private static final Duration OPERATION_BOUND = Timeouts.seconds(30);
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("artifact-stress", 3, List.of("--ratchet.artifacts.reconcile-interval=200ms",
                "--ratchet.artifacts.gc-grace=0s", "--ratchet.artifacts.read-wait=2s",
                "--ratchet.api.request-timeout=" + OPERATION_BOUND.toSeconds() + "s"));
        // Assigned before start() so that @AfterAll kills whatever started if start-up fails.
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentOperationsNeverDeadlockStallOrServeWrongBytes() throws Exception {
        long seconds = Long.getLong("ratchet.artifacts.stress-seconds", 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1000 + t;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (System.nanoTime() < deadline && problems.isEmpty()) {
                    NodeProcess n = cluster.node(1 + random.nextInt(3));
                    long start = System.nanoTime();
                    String op = "";
                    try {
                        op = operate(n, random, statuses, problems);
                        operations.incrementAndGet();
                    } catch (HttpTimeoutException e) {
                        problems.add(op + " on " + n.id() + " stalled past its bound");
                    } catch (Exception e) {
                        problems.add(op + " on " + n.id() + " failed: " + e);
                    }
                    if (System.nanoTime() - start > OPERATION_BOUND.toNanos()) {
                        problems.add(op + " on " + n.id() + " took longer than " + OPERATION_BOUND);
                    }
                }
                return null;
            }));
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.scheduleWithFixedDelay(() -> checkDeadlocks(mx, problems), 0, 500, TimeUnit.MILLISECONDS);
        try {
            for (Future<?> w : workers) {
                w.get(seconds + OPERATION_BOUND.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            // Let a check in flight finish: interrupting it would look like a node that did not answer.
            watchdog.shutdown();
            watchdog.awaitTermination(OPERATION_BOUND.toSeconds(), TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        checkDeadlocks(mx, problems);
        assertThat(problems).as("problems after %d operations, statuses %s", operations.get(), statuses).isEmpty();
        assertThat(statuses.getOrDefault(200, new AtomicLong()).get()).as("statuses %s", statuses).isPositive();
        System.out.printf("artifact stress: %d operations in %d s, statuses %s%n", operations.get(), seconds, statuses);
        awaitConvergence();
    }

    /** Runs one random operation; returns its description. Records unexpected outcomes as problems. */
    private static String operate(NodeProcess n, SplittableRandom random, Map<Integer, AtomicLong> statuses,
            ConcurrentLinkedQueue<String> problems) throws Exception {
        String dir = "s/" + random.nextInt(4);
        String path = dir + "/" + random.nextInt(6);
        int choice = random.nextInt(100);
        String op;
        int status;
        if (choice < 35) {
            byte[] body = new byte[random.nextInt(64 * 1024)];
            random.nextBytes(body);
            op = "PUT " + path;
            HttpResponse<String> r = ArtifactHttp.put(n, path, body);
            status = r.statusCode();
            if (status == 200 && !r.headers().firstValue("ETag").orElse("").equals("\"" + ArtifactHttp.sha256Hex(body) + "\"")) {
                problems.add(op + " answered a wrong etag");
            }
        } else if (choice < 45) {
            op = "DELETE " + path;
            status = ArtifactHttp.request(n, "DELETE", "/" + path).statusCode();
        } else if (choice < 50) {
            op = "DELETE prefix " + dir;
            status = ArtifactHttp.request(n, "DELETE", "?prefix=" + dir + "/").statusCode();
        } else if (choice < 90) {
            op = "GET " + path;
            HttpResponse<byte[]> r = ArtifactHttp.get(n, path + (random.nextBoolean() ? "?stale=true" : ""));
            status = r.statusCode();
            if (status == 200) {
                String etag = r.headers().firstValue("ETag").map(LocalCluster::etag).orElse("");
                if (!ArtifactHttp.sha256Hex(r.body()).equals(etag)) {
                    problems.add(op + " on " + n.id() + " returned bytes that do not match etag " + etag);
                }
            }
        } else {
            op = "LIST " + dir;
            status = ArtifactHttp.request(n, "GET", "?prefix=" + dir + "/").statusCode();
        }
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        // 503: no leader for a moment, or content still being copied; 404: lost races. Anything else is a bug.
        if (!Set.of(200, 204, 404, 503).contains(status)) {
            problems.add(op + " on " + n.id() + " answered " + status);
        }
        return op;
    }

    private void checkDeadlocks(ThreadMXBean mx, ConcurrentLinkedQueue<String> problems) {
        long[] own = mx.findDeadlockedThreads();
        if (own != null) {
            problems.add("test JVM has deadlocked threads: " + own.length);
        }
        for (NodeProcess n : cluster.nodes()) {
            try {
                HttpResponse<String> r = n.get("/actuator/health/deadlocks");
                if (r.statusCode() != 200) {
                    problems.add(n.id() + " reports deadlocked threads: " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problems.add(n.id() + " did not answer its deadlock check: " + e);
            }
        }
    }

    /** After the storm every node lists the same artifacts and holds exactly their blobs. */
    private void awaitConvergence() {
        await("nodes converge").atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Set<String> referenced = new HashSet<>();
            List<String> reference = null;
            for (NodeProcess n : cluster.nodes()) {
                JsonNode items = LocalCluster.json(ArtifactHttp.request(n, "GET", "?prefix=s/&limit=1000").body()).path("items");
                List<String> listing = new ArrayList<>();
                items.forEach(i -> {
                    listing.add(i.path("path").asString() + "=" + i.path("etag").asString());
                    referenced.add(i.path("etag").asString());
                });
                if (reference == null) {
                    reference = listing;
                }
                assertThat(listing).as(n.id() + " listing").isEqualTo(reference);
            }
            for (NodeProcess n : cluster.nodes()) {
                assertThat(ArtifactHttp.blobsOnDisk(n)).as(n.id() + " blobs").isEqualTo(referenced);
                assertThat(ArtifactHttp.temporaryFiles(n)).isZero();
            }
        });
    }
}
