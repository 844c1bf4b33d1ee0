package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's HTTP client for the key/value API: the timed closed-loop calls ({@link #put},
 * {@link #get}) go through {@link BlockingHttp} (one keep-alive connection per load thread and node), the
 * rest (asynchronous puts, diagnostics) through one pooled JDK client. Thread-safe. Calls block until the answer or the timeout; failures are reported as {@code false},
 * never thrown, because a benchmark counts them.
 */
final class KvClient implements KvBackend<NodeProcess> {

    private static final String KV = "/api/v1/kv/bench/";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** The closed-loop calls (put, get) that the load windows time; the JDK client serves the rest. */
    private final BlockingHttp loop = new BlockingHttp();

    /** PUT; true on 200 (replaced) or 201 (created). */
    @Override
    public boolean put(NodeProcess node, String key, byte[] value, Duration timeout) {
        int status = loop.exchange("PUT", node.url(KV + key), "application/octet-stream", value, timeout).status();
        return status == 200 || status == 201;
    }

    /** PUT without blocking: completes with the status code, or -1 if the request failed or timed out. */
    java.util.concurrent.CompletableFuture<Integer> putAsync(NodeProcess node, String key, byte[] value,
            Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(node.url(KV + key)).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) ->
                e == null ? r.statusCode() : -1);
    }

    /** GET, linearizable unless {@code stale}; true on 200. */
    @Override
    public boolean get(NodeProcess node, String key, boolean stale, Duration timeout) {
        return loop.exchange("GET", node.url(KV + key + (stale ? "?stale=true" : "")), null, null, timeout).status() == 200;
    }

    /** The value a node holds for a key, read stale (its local state), or empty if it has none / is down. */
    Optional<String> readLocal(NodeProcess node, String key) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.url(KV + key + "?stale=true"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The node's own view: role and term, or empty if it does not answer. */
    static Optional<RaftView> view(NodeProcess node) {
        try {
            JsonNode v = LocalCluster.cluster(node);
            return Optional.of(new RaftView(v.path("nodeId").asString(), v.path("role").asString(),
                    v.path("term").asLong(-1), v.path("leader").asString(null)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What {@code /api/v1/cluster} says about the node answering. */
    record RaftView(String nodeId, String role, long term, String leader) {
        boolean leads() {
            return "LEADER".equals(role);
        }
    }
}
