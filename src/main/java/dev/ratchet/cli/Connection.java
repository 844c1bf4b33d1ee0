package dev.ratchet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every ratchetctl command takes to reach the API: endpoints, token, TLS trust, timeouts
 * and the output format. Values not given fall back to the environment ({@code RATCHET_ENDPOINTS} or
 * {@code RATCHET_URL}, {@code RATCHET_TOKEN}, {@code RATCHET_CACERT}).
 */
final class Connection {

    enum Output { text, json }

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--endpoints", split = ",", paramLabel = "URL",
            description = "API URLs, comma-separated; the next one is tried when a connection fails "
                    + "(default: $RATCHET_ENDPOINTS, else $RATCHET_URL, else http://127.0.0.1:8080)")
    List<String> endpoints;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "bearer token: the admin token or an API token (default: $RATCHET_TOKEN)")
    String token;

    @Option(names = "--cacert", paramLabel = "PEM",
            description = "CA certificates (PEM) to trust for https endpoints instead of the JDK's (default: $RATCHET_CACERT)")
    Path caCert;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "time a request may take (default: ${DEFAULT-VALUE}; watches are not limited)")
    String timeout;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (for people) or json (for scripts)")
    Output output;

    boolean json() {
        return output == Output.json;
    }

    private Map<String, String> env() {
        return ((RatchetCtl) mixee.root().userObject()).env();
    }

    /** Builds the client from the options and the environment. Throws IllegalArgumentException on a bad value. */
    ApiClient client() throws IOException {
        Map<String, String> env = env();
        List<String> urls = endpoints;
        if (urls == null || urls.isEmpty()) {
            String fromEnv = env.getOrDefault("RATCHET_ENDPOINTS", env.getOrDefault("RATCHET_URL", "http://127.0.0.1:8080"));
            urls = Arrays.asList(fromEnv.split(","));
        }
        List<URI> uris = new ArrayList<>();
        for (String u : urls) {
            String trimmed = u.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = URI.create(trimmed);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint '" + trimmed + "' is not an http(s)://host[:port] URL");
            }
            uris.add(uri);
        }
        String bearer = token != null ? token : env.get("RATCHET_TOKEN");
        Path ca = caCert != null ? caCert : env.containsKey("RATCHET_CACERT") ? Path.of(env.get("RATCHET_CACERT")) : null;
        Duration t = Durations.parse("--timeout", timeout);
        return new ApiClient(uris, bearer, Duration.ofSeconds(Math.min(5, Math.max(1, t.toSeconds()))), t,
                ca == null ? null : trusting(ca));
    }

    /** A TLS context that trusts exactly the certificates in {@code pem}. */
    private static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("--cacert " + pem + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + pem + ": " + e.getMessage(), e);
        }
    }
}
