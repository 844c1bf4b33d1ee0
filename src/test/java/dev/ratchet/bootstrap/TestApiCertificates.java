package dev.ratchet.bootstrap;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA for the API's HTTPS in bootstrap tests, built with Bouncy Castle's certificate builder
 * like the transport tests' CA: a self-signed EC root and an API server certificate for 127.0.0.1 (the
 * HTTP client checks the seed's address against the certificate), as JSSE contexts and as the PEM files
 * {@code server.ssl.*} reads.
 */
final class TestApiCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());
    private static final char[] PASSWORD = "test".toCharArray();

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair serverKeys;
    private final X509Certificate server;

    TestApiCertificates(String name) throws Exception {
        caKeys = newKeyPair();
        X500Principal caName = new X500Principal("CN=" + name + " API CA");
        JcaX509v3CertificateBuilder root = builder(caName, caName, caKeys);
        root.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        root.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = sign(root);
        serverKeys = newKeyPair();
        JcaX509v3CertificateBuilder leaf = builder(caName, new X500Principal("CN=" + name + " API"), serverKeys);
        leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        leaf.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        server = sign(leaf);
    }

    /** The API server's context: presents the server certificate (and its CA). */
    SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("api", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** A client context that trusts only this CA. */
    SSLContext clientTrustingThisCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Writes the server certificate chain and key as PEM ({@code tls.crt}, {@code tls.key}) into {@code dir}. */
    void writePem(Path dir) throws Exception {
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(serverKeys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(server.getEncoded())
                + "\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    private static JcaX509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private X509Certificate sign(JcaX509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
