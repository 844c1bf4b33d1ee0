package dev.ratchet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API port serving HTTPS from a Spring Boot PEM SSL bundle made in this test: requests work over
 * TLS, a replaced certificate is picked up without a restart (reload-on-update), and a client
 * certificate trusted by the bundle authenticates admin requests without a token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiHttpsTest {

    private static Path tls;
    private static int port;
    private static Pem server;
    private static Pem admin;

    /** A self-signed certificate and its key. */
    record Pem(X509Certificate certificate, KeyPair keys) {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        tls = Files.createTempDirectory("ratchet-https-test");
        Path data = Files.createTempDirectory("ratchet-https-data");
        int peerPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            peerPort = b.getLocalPort();
        }
        server = selfSigned("CN=ratchet-api-1");
        admin = selfSigned("CN=ratchet-admin");
        write(server, tls.resolve("tls.crt"), tls.resolve("tls.key"));
        write(admin, tls.resolve("admin-ca.crt"), tls.resolve("admin.key"));
        registry.add("server.port", () -> Integer.toString(port));
        registry.add("spring.ssl.bundle.pem.api.keystore.certificate", () -> tls.resolve("tls.crt").toString());
        registry.add("spring.ssl.bundle.pem.api.keystore.private-key", () -> tls.resolve("tls.key").toString());
        registry.add("spring.ssl.bundle.pem.api.truststore.certificate", () -> tls.resolve("admin-ca.crt").toString());
        registry.add("spring.ssl.bundle.pem.api.reload-on-update", () -> "true");
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
        registry.add("server.ssl.bundle", () -> "api");
        registry.add("server.ssl.client-auth", () -> "want");
        registry.add("ratchet.node-id", () -> "secure");
        registry.add("ratchet.data-dir", () -> data.toString());
        registry.add("ratchet.bootstrap", () -> "true");
        registry.add("ratchet.join-token", () -> "https-test-join-token-0123456789");
        registry.add("ratchet.admin-token", () -> "https-test-admin-token-0123456789");
        registry.add("ratchet.api-url", () -> "https://127.0.0.1:" + port);
        registry.add("ratchet.peer.port", () -> Integer.toString(peerPort));
    }

    static Pem selfSigned(String dn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(dn),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(dn), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Pem(cert, keys);
    }

    static void write(Pem pem, Path certFile, Path keyFile) throws Exception {
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes());
        // Key first, then certificate, each via a temporary file and a move, so the watcher never reads half a pair.
        Path keyTmp = Files.writeString(keyFile.resolveSibling(keyFile.getFileName() + ".tmp"), "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(pem.keys().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path certTmp = Files.writeString(certFile.resolveSibling(certFile.getFileName() + ".tmp"), "-----BEGIN CERTIFICATE-----\n"
                + mime.encodeToString(pem.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.move(keyTmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(certTmp, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static HttpClient client(X509Certificate trusted, Pem clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("api", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", clientCert.keys().getPrivate(), "x".toCharArray(),
                    new X509Certificate[] {clientCert.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws IOException, InterruptedException {
        return c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @BeforeAll
    void awaitReady() throws Exception {
        HttpClient c = client(server.certificate(), null);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get(c, "/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    @Order(1)
    void servesHttpsAndAuthenticatesAdminsByClientCertificate() throws Exception {
        HttpClient anonymous = client(server.certificate(), null);
        assertThat(get(anonymous, "/api/v1/cluster").body()).contains("https://127.0.0.1:" + port);
        assertThat(get(anonymous, "/actuator/roots").statusCode()).isEqualTo(401);
        HttpResponse<String> roots = get(client(server.certificate(), admin), "/actuator/roots");
        assertThat(roots.statusCode()).as(roots.body()).isEqualTo(200);
        assertThat(roots.body()).contains("\"current\":true");
        Pem stranger = selfSigned("CN=stranger");
        // An untrusted client certificate is either refused in the handshake or, since the server names the
        // CAs it accepts, not even sent: then the request has no credentials.
        int status;
        try {
            status = get(client(server.certificate(), stranger), "/actuator/roots").statusCode();
        } catch (IOException refusedInHandshake) {
            status = -1;
        }
        assertThat(status).isIn(-1, 401);
    }

    @Test
    @Order(2)
    void aRenewedCertificateIsServedWithoutRestart() throws Exception {
        Pem renewed = selfSigned("CN=ratchet-api-2");
        write(renewed, tls.resolve("tls.crt"), tls.resolve("tls.key"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            HttpResponse<String> r = get(client(renewed.certificate(), null), "/actuator/health/liveness");
            return r.statusCode() == 200;
        });
        assertThatThrownBy(() -> get(client(server.certificate(), null), "/actuator/health"))
                .isInstanceOf(SSLHandshakeException.class);
    }
}
