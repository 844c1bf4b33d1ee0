package dev.ratchet.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a seed's API over HTTP(S) ({@code GET /api/v1/bootstrap/status?nonce=...}) and returns its answer
 * only if it authenticates with the join token for this question's nonce. Anything else (no answer, an
 * error status, unreadable or forged JSON) is "no answer". An {@code https://} seed must present a
 * certificate that verifies against the trust this prober was given (by default the JVM's trust store,
 * {@code -Djavax.net.ssl.trustStore}, which the Helm chart fills with the API's CA) and matches the
 * seed's host name; one that does not (or any other TLS failure) is "no answer" too, logged at WARN (at most once a minute per
 * seed) because it is a deployment error, not a seed that is down. Thread-safe; blocks up to the timeout.
 */
public final class HttpProber implements BootstrapDiscovery.Prober {

    private static final Logger log = LoggerFactory.getLogger(HttpProber.class);
    private static final int MAX_ANSWER_CHARS = 4096;
    private static final long TLS_WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final BootstrapProbe probe;
    private final SecureRandom random;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<URI, Long> lastTlsWarning = new ConcurrentHashMap<>();

    /** A prober that trusts what the JVM's default trust store trusts. */
    public HttpProber(BootstrapProbe probe, SecureRandom random, Duration timeout) {
        this(probe, random, timeout, defaultTls());
    }

    /** A prober whose HTTPS questions trust only what {@code tls} trusts. */
    public HttpProber(BootstrapProbe probe, SecureRandom random, Duration timeout, SSLContext tls) {
        this.probe = probe;
        this.random = random;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls).build();
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context (javax.net.ssl.trustStore?)", e);
        }
    }

    @Override
    public Optional<BootstrapProbe.Answer> ask(URI seed) throws InterruptedException {
        String nonce = BootstrapProbe.newNonce(random);
        try {
            HttpRequest get = HttpRequest.newBuilder(seed.resolve(BootstrapProbe.PATH + "?nonce=" + nonce))
                    .timeout(timeout).GET().build();
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().length() > MAX_ANSWER_CHARS) {
                log.debug("seed {} answered {} to the bootstrap question", seed, response.statusCode());
                return Optional.empty();
            }
            BootstrapProbe.Answer answer = json.readValue(response.body(), BootstrapProbe.Answer.class);
            if (!probe.verify(nonce, answer)) {
                log.warn("seed {} sent a bootstrap answer that does not authenticate (another join token?): ignored", seed);
                return Optional.empty();
            }
            return Optional.of(answer);
        } catch (IOException | RuntimeException e) {
            SSLException tls = tlsFailure(e);
            if (tls != null) {
                warnTls(seed, tls);
                return Optional.empty();
            }
            log.debug("seed {} did not answer the bootstrap question: {}", seed, e.toString());
            return Optional.empty();
        }
    }

    /** The TLS failure behind {@code e} (the HTTP client wraps it), or null if it is no TLS failure. */
    private static SSLException tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private void warnTls(URI seed, SSLException e) {
        long now = System.nanoTime();
        Long last = lastTlsWarning.get(seed);
        if (last != null && now - last < TLS_WARN_EVERY_NANOS) {
            log.debug("seed {}: TLS handshake failed again: {}", seed, e.getMessage());
            return;
        }
        lastTlsWarning.put(seed, now);
        log.warn("seed {} refused: its TLS handshake failed ({}); the bootstrap question counts as not answered."
                + " Does this node's trust store (javax.net.ssl.trustStore) hold the CA of the seeds' API"
                + " certificates, and do they name the seed's host?", seed, e.getMessage());
    }
}
