package dev.ratchet.trust;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * Key algorithm of roots and leaves, with the signature algorithm used to sign with such a key.
 * Generation uses the JDK's own providers; Bouncy Castle only builds the certificates.
 */
public enum KeyType {
    /** ECDSA on NIST P-256 (the default). */
    EC_P256("EC", "secp256r1", 0, "SHA256withECDSA"),
    /** ECDSA on NIST P-384. */
    EC_P384("EC", "secp384r1", 0, "SHA384withECDSA"),
    /** RSA with a 2048-bit modulus. */
    RSA_2048("RSA", null, 2048, "SHA256withRSA"),
    /** RSA with a 3072-bit modulus. */
    RSA_3072("RSA", null, 3072, "SHA256withRSA");

    private final String algorithm;
    private final String curve;
    private final int bits;
    private final String signatureAlgorithm;

    KeyType(String algorithm, String curve, int bits, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.curve = curve;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** JCA key algorithm name ("EC" or "RSA"). */
    public String algorithm() {
        return algorithm;
    }

    /** JCA signature algorithm used when a key of this type signs a certificate. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * Generates a fresh key pair.
     *
     * @throws IllegalStateException if the JDK lacks the algorithm (a broken runtime, not bad input)
     */
    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve), random);
            } else {
                generator.initialize(bits, random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    /** Signature algorithm to sign with the given private key's algorithm, whatever its size. */
    static String signatureAlgorithmFor(java.security.PrivateKey key) {
        if (key instanceof java.security.interfaces.ECPrivateKey ec) {
            int fieldBits = ec.getParams().getCurve().getField().getFieldSize();
            return fieldBits > 256 ? EC_P384.signatureAlgorithm : EC_P256.signatureAlgorithm;
        }
        if ("RSA".equals(key.getAlgorithm())) {
            return RSA_2048.signatureAlgorithm;
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }
}
