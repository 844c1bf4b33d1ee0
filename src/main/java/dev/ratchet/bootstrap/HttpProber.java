package dev.ratchet.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a seed's API over HTTP(S) ({@code GET /api/v1/bootstrap/status?nonce=...}) and returns its answer
 * only if it authenticates with the join token for this question's nonce. Anything else (no answer, an
 * error status, unreadable or forged JSON) is "no answer". Thread-safe; blocks up to the timeout.
 */
public final class HttpProber implements BootstrapDiscovery.Prober {

    private static final Logger log = LoggerFactory.getLogger(HttpProber.class);
    private static final int MAX_ANSWER_CHARS = 4096;

    private final BootstrapProbe probe;
    private final SecureRandom random;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    public HttpProber(BootstrapProbe probe, SecureRandom random, Duration timeout) {
        this.probe = probe;
        this.random = random;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
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
            log.debug("seed {} did not answer the bootstrap question: {}", seed, e.toString());
            return Optional.empty();
        }
    }
}
