package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The fresh listener's TLS context comes from the same {@code server.ssl.*} the web server reads: PEM
 * files given directly, or an SSL bundle by name; none when {@code server.ssl} is off; a clear error when
 * the key material cannot be read. Each context is checked by a real TLS question to a fresh listener.
 */
class ApiServerTlsTest {

    final BootstrapProbe probe = new BootstrapProbe("join-token-0123456789");
    @TempDir
    Path dir;
    TestApiCertificates api;

    @BeforeEach
    void pemFiles() throws Exception {
        api = new TestApiCertificates("cluster-a");
        api.writePem(dir);
    }

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }

    private void answersOverTls(SSLContext server) throws Exception {
        try (FreshNodeResponder responder = FreshNodeResponder.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server, probe, "n2", false)) {
            HttpProber prober = new HttpProber(probe, new SecureRandom(), Duration.ofSeconds(3), api.clientTrustingThisCa());
            assertThat(prober.ask(URI.create("https://127.0.0.1:" + responder.address().getPort())).orElseThrow().nodeId())
                    .isEqualTo("n2");
        }
    }

    @Test
    void pemFilesInServerSslGiveTheListenersContext() throws Exception {
        SSLContext server = ApiServerTls.fromServerSsl(binder(Map.of(
                "server.ssl.certificate", dir.resolve("tls.crt").toString(),
                "server.ssl.certificate-private-key", dir.resolve("tls.key").toString())), null).orElseThrow();
        answersOverTls(server);
    }

    @Test
    void aNamedSslBundleGivesTheListenersContext() throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("api", SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("file:" + dir.resolve("tls.crt"))
                        .withPrivateKey("file:" + dir.resolve("tls.key")), null)));
        SSLContext server = ApiServerTls.fromServerSsl(binder(Map.of("server.ssl.bundle", "api")), bundles).orElseThrow();
        answersOverTls(server);
    }

    @Test
    void noServerSslOrSslDisabledMeansPlainHttp() {
        assertThat(ApiServerTls.fromServerSsl(binder(Map.of("server.port", "8080")), null)).isEmpty();
        assertThat(ApiServerTls.fromServerSsl(binder(Map.of("server.ssl.enabled", "false",
                "server.ssl.bundle", "api")), new DefaultSslBundleRegistry())).isEmpty();
    }

    @Test
    void unreadableKeyMaterialIsAClearError() throws Exception {
        Files.writeString(dir.resolve("tls.key"), "not a key");
        assertThatThrownBy(() -> ApiServerTls.fromServerSsl(binder(Map.of(
                "server.ssl.certificate", dir.resolve("tls.crt").toString(),
                "server.ssl.certificate-private-key", dir.resolve("tls.key").toString())), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("server.ssl")
                .hasMessageContaining("bootstrap listener");
        assertThatThrownBy(() -> ApiServerTls.fromServerSsl(binder(Map.of("server.ssl.bundle", "missing")),
                new DefaultSslBundleRegistry())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bundle 'missing'");
    }
}
