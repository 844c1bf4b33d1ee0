package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.state.Change;
import dev.ratchet.state.ChangeBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lock recipe of docs/recipes.md, run by 8 contending clients over HTTP, one of which dies holding
 * the lock so that only its lease's expiry frees it. Checked from the history, not from the clients'
 * beliefs: the lock key's changes alternate put / (delete | expire), every acquisition a client
 * reported is one of those puts, and the holds (acquire revision, release revision) never overlap.
 */
@SpringBootTest(classes = ApiServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ApiServer.READINESS, ApiServer.LIVENESS})
class LockRecipeTest {

    private static final String LOCK = "locks/job";
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;

    @LocalServerPort
    int port;

    @Autowired
    DirectReplicator replicator;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    record Hold(String owner, long acquired, long released) {
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private void waitForChange(long afterRevision) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/kv/" + LOCK + "?waitRevision="
                + afterRevision + "&wait=5s")).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Acquires the lock (the recipe's steps 1-3); answers the revision of the winning put. */
    private JsonNode acquire(String owner, long lease) throws Exception {
        String value = Base64.getEncoder().encodeToString(owner.getBytes());
        while (true) {
            JsonNode r = post("/api/v1/txn", """
                    {"compare":[{"key":"%s","exists":false}],
                     "success":[{"put":{"key":"%s","value":"%s","lease":%d}}]}""".formatted(LOCK, LOCK, value, lease));
            if (r.path("succeeded").asBoolean()) {
                return r.path("results").get(0);
            }
            waitForChange(r.path("revision").asLong());
        }
    }

    /** Releases by etag: a client never deletes a lock someone else holds now. Answers the release revision. */
    private long release(String etag) throws Exception {
        JsonNode r = post("/api/v1/txn", """
                {"compare":[{"key":"%s","etag":"%s"}], "success":[{"delete":{"key":"%s"}}]}""".formatted(LOCK, etag, LOCK));
        assertThat(r.path("succeeded").asBoolean()).as("released a lock it held").isTrue();
        return r.path("revision").asLong();
    }

    private List<Hold> client(int n) throws Exception {
        String owner = "client-" + n;
        long lease = post("/api/v1/leases", "{\"ttl\":\"3s\"}").path("id").asLong();
        // The recipe's keep-alive runs beside the client's work, at a third of the TTL or more often.
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        keepAlive.scheduleWithFixedDelay(() -> {
            try {
                post("/api/v1/leases/" + lease + "/keepalive", "");
            } catch (Exception | AssertionError e) {
                // the next one may get through; a lease that ended shows up as a failed acquire
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        List<Hold> holds = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                JsonNode won = acquire(owner, lease);
                if (n == 0 && round == ROUNDS - 1) {
                    // Dies holding the lock: no release, no keep-alive; only the lease's expiry frees it.
                    keepAlive.shutdownNow();
                    holds.add(new Hold(owner, won.path("revision").asLong(), -1));
                    return holds;
                }
                holds.add(new Hold(owner, won.path("revision").asLong(), release(won.path("etag").asString())));
            }
            return holds;
        } finally {
            keepAlive.shutdownNow();
        }
    }

    @Test
    void eightClientsNeverHoldTheLockTogetherAndADeadHoldersLeaseFreesIt() throws Exception {
        long start = replicator.state().history().head() + 1;
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Hold>>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int n = i;
            futures.add(pool.submit(() -> client(n)));
        }
        List<Hold> holds = new ArrayList<>();
        for (Future<List<Hold>> f : futures) {
            holds.addAll(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(holds).hasSize(CLIENTS * ROUNDS);
        // The dead holder may have been the last one: its lease's expiry must still free the lock.
        await().atMost(Duration.ofSeconds(15)).until(() -> replicator.state().document(LOCK) == null);

        List<Change> lockChanges = new ArrayList<>();
        for (ChangeBatch b : replicator.state().history().read(start, LOCK, Integer.MAX_VALUE).batches()) {
            b.changes().stream().filter(c -> c.key().equals(LOCK)).forEach(lockChanges::add);
        }
        for (int i = 0; i < lockChanges.size(); i++) {
            Change.Type expected = i % 2 == 0 ? Change.Type.PUT : null;
            if (expected != null) {
                assertThat(lockChanges.get(i).type()).as("change %d of %s", i, lockChanges).isEqualTo(Change.Type.PUT);
            } else {
                assertThat(lockChanges.get(i).type()).as("change %d of %s", i, lockChanges).isNotEqualTo(Change.Type.PUT);
            }
        }
        List<Long> puts = lockChanges.stream().filter(c -> c.type() == Change.Type.PUT).map(Change::modRevision).toList();
        assertThat(holds).extracting(Hold::acquired).containsExactlyInAnyOrderElementsOf(puts);
        assertThat(lockChanges).extracting(Change::type).contains(Change.Type.EXPIRE);
        List<Hold> byAcquire = holds.stream().sorted(java.util.Comparator.comparingLong(Hold::acquired)).toList();
        for (int i = 0; i + 1 < byAcquire.size(); i++) {
            Hold h = byAcquire.get(i);
            long end = h.released() > 0 ? h.released() : expiryOf(lockChanges, h.acquired());
            assertThat(end).as("%s's hold ends before the next begins", h).isLessThan(byAcquire.get(i + 1).acquired());
        }
    }

    private static long expiryOf(List<Change> changes, long acquired) {
        return changes.stream().filter(c -> c.type() == Change.Type.EXPIRE && c.modRevision() > acquired)
                .mapToLong(Change::modRevision).min().orElse(Long.MAX_VALUE);
    }
}
