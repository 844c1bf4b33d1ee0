package dev.ratchet.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the bootstrap question for a node whose data directory is empty, while it waits to join or
 * to found a cluster. The node's Spring web server starts only once the node has its place in a
 * cluster (the node is built while the application context starts), so without this listener a fresh
 * node could not tell a founder "I am fresh", and a founder waiting for {@code bootstrap-expect} fresh
 * nodes would wait for ever. It binds the API port itself for that time and is closed before the web
 * server binds it; every other path answers 503 (starting).
 *
 * <p>It speaks what the API port will speak: HTTPS with the API's own TLS context when
 * {@code server.ssl} is on ({@link ApiServerTls}; a plain-HTTP request then fails its handshake and gets
 * no answer), plain HTTP otherwise. Thread-safe; {@link #close} is idempotent.
 */
public final class FreshNodeResponder implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private FreshNodeResponder(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts answering on {@code bind} as node {@code nodeId}, {@link BootstrapProbe.State#FOUNDER} if
     * {@code founder}, else {@link BootstrapProbe.State#FRESH}.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static FreshNodeResponder start(InetSocketAddress bind, BootstrapProbe probe, String nodeId, boolean founder)
            throws IOException {
        return start(bind, null, probe, nodeId, founder);
    }

    /**
     * Like {@link #start(InetSocketAddress, BootstrapProbe, String, boolean)}, over HTTPS with {@code tls}
     * as the server context, or plain HTTP if {@code tls} is null.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static FreshNodeResponder start(InetSocketAddress bind, SSLContext tls, BootstrapProbe probe, String nodeId,
            boolean founder) throws IOException {
        HttpServer server;
        try {
            if (tls == null) {
                server = HttpServer.create(bind, 16);
            } else {
                HttpsServer https = HttpsServer.create(bind, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new IOException("cannot listen on the API address " + bind + " (server.port) to answer seeds"
                    + " while fresh: " + e.getMessage(), e);
        }
        JsonMapper json = JsonMapper.builder().build();
        BootstrapProbe.State state = founder ? BootstrapProbe.State.FOUNDER : BootstrapProbe.State.FRESH;
        server.createContext("/", exchange -> {
            try (exchange) {
                URI uri = exchange.getRequestURI();
                String nonce = query(uri.getRawQuery(), "nonce");
                if ("GET".equals(exchange.getRequestMethod()) && BootstrapProbe.PATH.equals(uri.getPath())
                        && BootstrapProbe.isWellFormedNonce(nonce)) {
                    send(exchange, 200, json.writeValueAsString(probe.answer(nonce, nodeId, state, "")));
                } else {
                    send(exchange, 503, "{\"error\":\"node " + nodeId
                            + " is starting: it has not joined or founded a cluster yet\"}");
                }
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ratchet-fresh-responder");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new FreshNodeResponder(server, executor);
    }

    /** The bound address (for tests that bind port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static String query(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering and frees the port at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
