package dev.ratchet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API as ratchetctl calls it: one request at a time against a list of endpoints, moving to the
 * next endpoint only when a connection could not be made (so a request is never sent twice), and turning
 * every answer outside 2xx into a {@link ProblemException}. Blocks the calling thread; one instance is
 * used by one command, not shared across threads.
 */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> endpoints;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    /** The endpoint that last answered: later requests of the same command start there. */
    private int current;

    ApiClient(List<URI> endpoints, String token, Duration connectTimeout, Duration timeout, SSLContext tls) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoint given");
        }
        this.endpoints = List.copyOf(endpoints);
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /** A request to send: its method, path with query, headers and body (null: none). */
    record Call(String method, String pathAndQuery, Map<String, String> headers, HttpRequest.BodyPublisher body,
            boolean streaming) {
        static Call of(String method, String pathAndQuery) {
            return new Call(method, pathAndQuery, Map.of(), null, false);
        }

        static Call json(String method, String pathAndQuery, String json) {
            return new Call(method, pathAndQuery, Map.of("Content-Type", "application/json"),
                    HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8), false);
        }
    }

    /** Sends {@code call} and reads the whole answer; throws ProblemException for a non-2xx status. */
    HttpResponse<byte[]> send(Call call) throws IOException, InterruptedException {
        return send(call, HttpResponse.BodyHandlers.ofByteArray(), body -> body);
    }

    /** Sends {@code call} and answers the body as JSON (an empty body is JSON null). */
    JsonNode json(Call call) throws IOException, InterruptedException {
        byte[] body = send(call).body();
        return body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
    }

    /**
     * Sends {@code call} with a streaming body; the caller closes the stream. Non-2xx answers are read
     * whole and thrown as ProblemException.
     */
    HttpResponse<InputStream> stream(Call call) throws IOException, InterruptedException {
        return send(call, HttpResponse.BodyHandlers.ofInputStream(), in -> {
            try (in) {
                return in.readAllBytes();
            }
        });
    }

    /**
     * Makes the next request start at the endpoint after the one that last answered: for a caller that
     * retries an answer one node gave (a watch told 503 by a node without a leader).
     */
    void moveToNextEndpoint() {
        current = (current + 1) % endpoints.size();
    }

    private interface Drain<T> {
        byte[] read(T body) throws IOException;
    }

    private <T> HttpResponse<T> send(Call call, HttpResponse.BodyHandler<T> handler, Drain<T> drain)
            throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (int tried = 0; tried < endpoints.size(); tried++) {
            int index = (current + tried) % endpoints.size();
            URI base = endpoints.get(index);
            HttpResponse<T> response;
            try {
                response = http.send(request(base, call), handler);
            } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
                failures.add(base + ": " + describe(e));
                continue;
            } catch (IOException e) {
                if (isConnectFailure(e)) {
                    failures.add(base + ": " + describe(e));
                    continue;
                }
                throw new IOException(base + ": " + describe(e), e);
            }
            current = index;
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            byte[] body = drain.read(response.body());
            throw ProblemException.of(status, response.headers().firstValue("Content-Type").orElse(""), body);
        }
        throw new UnreachableException(failures);
    }

    private HttpRequest request(URI base, Call call) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + call.pathAndQuery()))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body());
        if (!call.streaming()) {
            b.timeout(timeout);
        }
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        call.headers().forEach(b::header);
        return b.build();
    }

    /** The JDK reports a refused connection as a bare IOException in some versions; its cause says so. */
    private static boolean isConnectFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    /** No endpoint accepted a connection. */
    static final class UnreachableException extends IOException {
        UnreachableException(List<String> failures) {
            super("no endpoint could be reached: " + String.join("; ", failures));
        }
    }
}
