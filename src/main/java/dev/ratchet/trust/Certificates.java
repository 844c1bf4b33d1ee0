package dev.ratchet.trust;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes root and leaf certificates with Bouncy Castle. Stateless and thread-safe. Validity times
 * are truncated to whole seconds, as X.509 stores them.
 */
public final class Certificates {
    private Certificates() {
    }

    /**
     * Seeds the roots of a new cluster: one root valid from {@code now - certGrace} to
     * {@code now + rootCertExpire + certGrace}.
     */
    public static TrustRoots seed(TrustSettings settings, Instant now, SecureRandom random) {
        return TrustRoots.of(newRoot(settings.keyType().generate(random), settings, now, random));
    }

    /** A new root with a fresh key of the configured type, valid as {@link #seed} describes. */
    public static TrustRoot newRoot(TrustSettings settings, Instant now, SecureRandom random) {
        return newRoot(settings.keyType().generate(random), settings, now, random);
    }

    /** A new self-signed root for the given key pair, valid as {@link #seed} describes. */
    public static TrustRoot newRoot(KeyPair keys, TrustSettings settings, Instant now, SecureRandom random) {
        Instant notBefore = now.minus(settings.certGrace());
        Instant notAfter = now.plus(settings.rootCertExpire()).plus(settings.certGrace());
        BigInteger serial = serial(random);
        X500Name subject = new X500Name("O=Ratchet,CN=Ratchet root " + serial.toString(16));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    date(notBefore), date(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new TrustRoot(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a root certificate", e);
        }
    }

    /**
     * Mints a leaf for {@code identity}, signed by {@code root}, for the given public key. The
     * window is clamped to the root's window so a leaf never outlives its issuer.
     *
     * @throws IllegalArgumentException if the clamped window is empty
     */
    public static X509Certificate newLeaf(TrustRoot root, NodeIdentity identity, PublicKey leafKey,
            Instant notBefore, Instant notAfter, SecureRandom random) {
        Instant from = notBefore.isBefore(root.notBefore()) ? root.notBefore() : notBefore;
        Instant until = notAfter.isAfter(root.notAfter()) ? root.notAfter() : notAfter;
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("root " + root.shortId() + " leaves no validity window for a leaf between "
                    + notBefore + " and " + notAfter);
        }
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri()));
        for (String address : identity.addresses()) {
            names.add(new GeneralName(NodeIdentity.isIpLiteral(address) ? GeneralName.iPAddress : GeneralName.dNSName,
                    address));
        }
        BigInteger serial = serial(random);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded()), serial,
                    date(from), date(until), new X500Name("O=Ratchet,CN=" + identity.nodeId()), leafKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(root.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(leafKey));
            return sign(builder, root.privateKey());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a leaf certificate", e);
        }
    }

    /** True when {@code certificate}'s signature verifies with {@code key}. */
    public static boolean isSignedBy(X509Certificate certificate, PublicKey key) {
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the runtime", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(KeyType.signatureAlgorithmFor(signer)).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create a signer", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        // 127 random bits: positive, unique in practice, within the 20-octet limit of RFC 5280.
        return new BigInteger(127, random).setBit(126);
    }

    private static Date date(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
