package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Watches and blocking reads over real HTTP: SSE framing, resume with Last-Event-ID, 410, waits. */
@SpringBootTest(classes = ApiServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ApiServer.READINESS, ApiServer.LIVENESS})
class WatchHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    DirectReplicator replicator;

    // HTTP/1.1: the default client first tries an h2c upgrade, which the server does not offer.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> put(String key, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/kv/" + key)).PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads an SSE stream on a background thread, collecting "id event" pairs of change events. */
    static final class SseReader implements AutoCloseable {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final InputStream body;
        final int status;

        SseReader(HttpClient http, HttpRequest request) throws Exception {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            Thread t = new Thread(this::read, "sse-reader");
            t.setDaemon(true);
            t.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.isEmpty()) {
                        if ("change".equals(event)) {
                            ids.add(id);
                        }
                        id = null;
                        event = null;
                    }
                }
            } catch (Exception closed) {
                // the test closed the stream
            }
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    @Test
    void aWatcherSeesEachChangeOnceAndResumesAfterItsLastEventId() throws Exception {
        long before = replicator.state().history().head();
        String r1 = put("w/a", "1").headers().firstValue("ETag").orElseThrow();
        assertThat(r1).isNotBlank();
        List<String> firstHalf;
        try (SseReader watch = new SseReader(http, HttpRequest.newBuilder(uri("/api/v1/watch?prefix=w/&fromRevision="
                + (before + 1))).header("Accept", "text/event-stream").build())) {
            assertThat(watch.status).isEqualTo(200);
            put("w/b", "2");
            put("elsewhere", "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.ids.size() == 2);
            firstHalf = List.copyOf(watch.ids);
            assertThat(watch.lines).anyMatch(l -> l.startsWith("data:") && l.contains("\"key\":\"w/b\""));
        }
        put("w/c", "3");
        long last = replicator.state().history().head();
        try (SseReader resumed = new SseReader(http, HttpRequest.newBuilder(uri("/api/v1/watch?prefix=w/"))
                .header("Last-Event-ID", firstHalf.get(1)).build())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !resumed.ids.isEmpty());
            put("w/d", "4");
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.ids.size() == 2);
            assertThat(resumed.ids.get(0)).isEqualTo(Long.toString(last));
            assertThat(Long.parseLong(resumed.ids.get(1))).isGreaterThan(last);
        }
    }

    @Test
    void aCompactedRevisionIs410NamingTheOldestAvailable() throws Exception {
        replicator.state().history().setLimits(3, Long.MAX_VALUE);
        try {
            for (int i = 0; i < 6; i++) {
                put("c/k", "v" + i);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/watch?fromRevision=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(410);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(r.body()).contains("\"oldestAvailable\":" + replicator.state().history().firstCovered());
        } finally {
            replicator.state().history().setLimits(10_000, 64L * 1024 * 1024);
        }
    }

    @Test
    void aBlockingReadAnswersWhenTheKeyChangesOrWhenItsWaitRunsOut() throws Exception {
        put("b/k", "old");
        HttpResponse<String> now = http.send(HttpRequest.newBuilder(uri("/api/v1/kv/b/k")).build(),
                HttpResponse.BodyHandlers.ofString());
        String index = now.headers().firstValue(KvController.INDEX_HEADER).orElseThrow();
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                uri("/api/v1/kv/b/k?waitRevision=" + index + "&wait=30s")).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> listing = http.sendAsync(HttpRequest.newBuilder(
                uri("/api/v1/kv?prefix=b/&waitRevision=" + index + "&wait=30s")).build(), HttpResponse.BodyHandlers.ofString());
        put("b/other", "not the key");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        assertThat(listing.get().body()).contains("b/other");
        put("b/k", "new");
        assertThat(waiting.get().body()).isEqualTo("new");
        assertThat(Long.parseLong(waiting.get().headers().firstValue(KvController.INDEX_HEADER).orElseThrow()))
                .isGreaterThan(Long.parseLong(index));

        String head = Long.toString(replicator.state().history().head());
        long start = System.nanoTime();
        HttpResponse<String> timedOut = http.send(HttpRequest.newBuilder(uri("/api/v1/kv/b/k?waitRevision=" + head
                + "&wait=300ms")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(timedOut.statusCode()).isEqualTo(200);
        assertThat(timedOut.body()).isEqualTo("new");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/v1/kv/b/k?waitRevision=1&wait=soon")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }
}
