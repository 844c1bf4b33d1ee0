package dev.ratchet.trust;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A self-signed root CA certificate together with its private key. Immutable and thread-safe.
 * Every node holds every root with its key (roots are replicated), so each node can mint its own
 * leaves. {@link #toString()} shows only public facts; the key is never printed.
 */
public final class TrustRoot {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final byte[] certificateDer;
    private final String fingerprint;

    /**
     * Wraps a root. Callers outside this package obtain roots from {@link Certificates} or
     * {@link TrustRootsCodec}, which check that the key belongs to the certificate.
     */
    TrustRoot(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        try {
            this.certificateDer = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("root certificate cannot be encoded", e);
        }
        this.fingerprint = Certificates.sha256Hex(certificateDer);
    }

    /** The root's self-signed certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The root's private key; handle with care, never log it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Short, log-friendly identity: the first 16 hex digits of the fingerprint. */
    public String shortId() {
        return fingerprint.substring(0, 16);
    }

    /** Start of the validity window. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** End of the validity window (inclusive). */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** True when {@code now} lies inside the validity window, both ends inclusive. */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore()) && !now.isAfter(notAfter());
    }

    /** True when the window ended before {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return now.isAfter(notAfter());
    }

    /** Public view for the admin API, without key material. */
    public TrustRootDescription describe() {
        return new TrustRootDescription(
                HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray()),
                certificate.getSubjectX500Principal().getName(),
                fingerprint,
                certificate.getPublicKey().getAlgorithm(),
                notBefore(),
                notAfter());
    }

    byte[] certificateDer() {
        return certificateDer.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustRoot that
                && Arrays.equals(certificateDer, that.certificateDer)
                && Arrays.equals(privateKey.getEncoded(), that.privateKey.getEncoded());
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "TrustRoot[" + shortId() + ", " + certificate.getSubjectX500Principal().getName()
                + ", " + notBefore() + " .. " + notAfter() + "]";
    }
}
