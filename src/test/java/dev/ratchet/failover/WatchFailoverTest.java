package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches across leader kills (issue 15): a writer changes keys under {@code w/} while one watcher per
 * node streams them, and every watcher drops its connection every second or so and resumes from its
 * last event id (on the next node when its own is down). The leader is killed twice. Afterwards each
 * watcher has seen every acknowledged write, no revision twice, in revision order, and all watchers saw
 * the same changes. About a minute with CI=true.
 */
@Tag("failover")
class WatchFailoverTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One watcher: reconnects by itself, records "revision key type" per change, in arrival order. */
    static final class Watcher implements AutoCloseable {
        final List<Long> revisions = new CopyOnWriteArrayList<>();
        final List<String> changes = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        private final List<NodeProcess> nodes;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Thread thread;
        private volatile InputStream current;
        private int target;

        Watcher(List<NodeProcess> nodes, int first) {
            this.nodes = nodes;
            this.target = first;
            thread = new Thread(this::run, "watcher-" + first);
            thread.setDaemon(true);
            thread.start();
        }

        long last() {
            return revisions.isEmpty() ? 0 : revisions.get(revisions.size() - 1);
        }

        /** Drops the connection; the loop resumes from the last event id. */
        void restart() {
            InputStream in = current;
            if (in != null) {
                try {
                    in.close();
                } catch (Exception ignored) {
                    // already closed
                }
            }
        }

        private void run() {
            while (running.get()) {
                NodeProcess node = nodes.get(target % nodes.size());
                try {
                    HttpRequest.Builder req = HttpRequest.newBuilder(node.url(last() == 0
                            ? "/api/v1/watch?prefix=w/&fromRevision=1" : "/api/v1/watch?prefix=w/"))
                            .header("Accept", "text/event-stream");
                    if (last() > 0) {
                        req.header("Last-Event-ID", Long.toString(last()));
                    }
                    HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                        if (r.statusCode() == 410) {
                            problems.add(node.id() + ": " + body);
                        }
                        target++;
                        continue;
                    }
                    current = r.body();
                    read(r.body());
                } catch (Exception e) {
                    target++; // the node is down or the stream broke: resume elsewhere
                }
            }
        }

        private void read(InputStream body) throws Exception {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                String data = null;
                for (String line = in.readLine(); line != null && running.get(); line = in.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5).trim();
                    } else if (line.isEmpty() && event != null) {
                        if (event.equals("change")) {
                            JsonNode batch = JSON.readTree(data);
                            revisions.add(batch.path("revision").asLong());
                            for (JsonNode e : batch.path("events")) {
                                changes.add(batch.path("revision").asLong() + " " + e.path("key").asString() + " "
                                        + e.path("type").asString());
                            }
                        } else if (event.equals("cancelled")) {
                            problems.add("cancelled: " + data);
                        }
                        event = null;
                        data = null;
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            restart();
            thread.join(5_000);
        }
    }

    @Test
    void watchersOnEveryNodeSeeEveryChangeOnceInOrderAcrossTwoLeaderKills() throws Exception {
        try (LocalCluster cluster = new LocalCluster("watch-failover", 3, List.of()).start()) {
            cluster.awaitLeader();
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                watchers.add(new Watcher(cluster.nodes(), i));
            }
            Set<Long> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                int i = 0;
                while (writing.get()) {
                    NodeProcess n = cluster.nodes().get(i % 3);
                    try {
                        HttpResponse<String> r = n.put("/api/v1/kv/w/k" + (i % 5), "v" + i);
                        if (r.statusCode() == 200 || r.statusCode() == 201) {
                            acked.add(LocalCluster.json(r.body()).path("revision").asLong());
                        }
                    } catch (Exception down) {
                        // the node is down: try the next one
                    }
                    i++;
                }
            }, "writer");
            writer.start();
            try {
                for (int kill = 0; kill < 2; kill++) {
                    NodeProcess leader = cluster.awaitLeader();
                    int before = acked.size();
                    await().atMost(Timeouts.seconds(20)).until(() -> acked.size() > before + 30);
                    watchers.forEach(Watcher::restart);
                    leader.kill();
                    await().atMost(Timeouts.seconds(20)).until(() -> acked.size() > before + 60);
                    watchers.forEach(Watcher::restart);
                    leader.start();
                    cluster.awaitReady(leader);
                    watchers.forEach(Watcher::restart);
                }
                int before = acked.size();
                await().atMost(Timeouts.seconds(20)).until(() -> acked.size() > before + 20);
            } finally {
                writing.set(false);
                writer.join(Timeouts.seconds(20).toMillis());
            }
            long lastAcked = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
            for (Watcher w : watchers) {
                await().atMost(Timeouts.seconds(30)).until(() -> w.last() >= lastAcked);
            }
            for (Watcher w : watchers) {
                w.close();
            }
            for (Watcher w : watchers) {
                assertThat(w.problems).isEmpty();
                List<Long> revs = List.copyOf(w.revisions);
                for (int i = 1; i < revs.size(); i++) {
                    assertThat(revs.get(i)).as("revision after %d (no duplicate, in order)", revs.get(i - 1))
                            .isGreaterThan(revs.get(i - 1));
                }
                assertThat(revs).containsAll(acked);
                assertThat(w.changes.stream().filter(c -> Long.parseLong(c.split(" ")[0]) <= lastAcked).toList())
                        .isEqualTo(watchers.get(0).changes.stream().filter(c -> Long.parseLong(c.split(" ")[0]) <= lastAcked).toList());
            }
        }
    }
}
