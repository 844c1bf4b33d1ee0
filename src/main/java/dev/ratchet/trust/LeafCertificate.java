package dev.ratchet.trust;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A node's leaf certificate with its private key, and the fingerprint of the root that signed it.
 * Immutable; {@link #toString()} never shows the key.
 */
public final class LeafCertificate {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String rootFingerprint;

    LeafCertificate(X509Certificate certificate, PrivateKey privateKey, String rootFingerprint) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.rootFingerprint = Objects.requireNonNull(rootFingerprint, "rootFingerprint");
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The leaf's private key; never log it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Fingerprint of the signing root. */
    public String rootFingerprint() {
        return rootFingerprint;
    }

    /** Start of validity. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** End of validity. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "LeafCertificate[" + certificate.getSubjectX500Principal().getName() + ", root "
                + rootFingerprint.substring(0, 16) + ", " + notBefore() + " .. " + notAfter() + "]";
    }
}
