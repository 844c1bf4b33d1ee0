package dev.ratchet.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API server on loopback for Helm's {@code lookup} of Secrets: discovery of
 * {@code v1} and GET of one Secret, which answers 404 unless a test stored it with {@link #putSecret}.
 * This keeps chart tests off any real cluster (the test JVM's {@code KUBECONFIG} points at a file this
 * class writes) and lets them check that tokens survive an upgrade. Thread-safe; the JDK server serves
 * requests on its own thread. Requests for anything else get 404.
 */
final class FakeKubeApi implements AutoCloseable {

    private static final int MAX_SECRETS = 64;
    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    FakeKubeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Writes a kubeconfig for this server to {@code path} (a plain-HTTP cluster, no credentials). */
    void writeKubeconfig(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.writeString(path, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                contexts:
                  - name: fake
                    context: {cluster: fake, namespace: default}
                current-context: fake
                users: []
                """.formatted(server.getAddress().getPort()));
    }

    /** Makes a Secret exist, with string data (stored base64-encoded as the API does). */
    void putSecret(String namespace, String name, Map<String, String> data) {
        if (secrets.size() >= MAX_SECRETS) {
            throw new IllegalStateException("at most " + MAX_SECRETS + " fake secrets");
        }
        StringBuilder json = new StringBuilder();
        data.forEach((k, v) -> json.append(json.length() == 0 ? "" : ",").append('"').append(k).append("\":\"")
                .append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))).append('"'));
        secrets.put(namespace + "/" + name, """
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{%s}}
                """.formatted(name, namespace, json));
    }

    void clearSecrets() {
        secrets.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.equals("/api/v1")) {
                reply(ex, 200, """
                        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                         {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}
                        """);
            } else if (path.equals("/api")) {
                reply(ex, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
            } else if (path.equals("/apis")) {
                reply(ex, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
            } else if (path.equals("/version")) {
                reply(ex, 200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}");
            } else if (path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+")) {
                String[] parts = path.split("/");
                String secret = secrets.get(parts[4] + "/" + parts[6]);
                if (secret != null) {
                    reply(ex, 200, secret);
                } else {
                    notFound(ex);
                }
            } else {
                notFound(ex);
            }
        }
    }

    private static void notFound(HttpExchange ex) throws IOException {
        reply(ex, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
