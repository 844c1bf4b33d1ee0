package dev.ratchet.bootstrap;

import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * The TLS server context of the API port, built from the same {@code server.ssl.*} properties (an SSL
 * bundle named by {@code server.ssl.bundle}, or the key store / PEM properties directly) through the
 * same Spring Boot code ({@link WebServerSslBundle}) the web server uses, so a fresh node's bootstrap
 * listener presents the certificate its web server will present once it runs.
 *
 * <p>Stateless; reads the key material once per call (the fresh listener lives only until the node has
 * joined or founded, so it does not follow {@code reload-on-update}).
 */
final class ApiServerTls {

    private ApiServerTls() {
    }

    /**
     * The API's server context, or empty when {@code server.ssl} is off (the API speaks plain HTTP).
     *
     * @param bundles the application's SSL bundles, or null if it has none (then only the direct
     *        {@code server.ssl.*} key material can be used)
     * @throws IllegalStateException if {@code server.ssl} is on but its key material cannot be read; the
     *         message names the properties
     */
    static Optional<SSLContext> fromServerSsl(Binder binder, SslBundles bundles) {
        Ssl ssl = binder.bind("server.ssl", Ssl.class).orElse(null);
        if (!Ssl.isEnabled(ssl)) {
            return Optional.empty();
        }
        try {
            return Optional.of(WebServerSslBundle.get(ssl, bundles).createSslContext());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot build the API's TLS context from server.ssl.*"
                    + (ssl.getBundle() == null ? "" : " (bundle '" + ssl.getBundle() + "')")
                    + " for the fresh node's bootstrap listener: " + e.getMessage(), e);
        }
    }
}
