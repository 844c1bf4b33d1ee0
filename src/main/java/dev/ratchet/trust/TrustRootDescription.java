package dev.ratchet.trust;

import java.time.Instant;

/**
 * Public facts about one root for the admin API. Holds no key material.
 *
 * @param serial certificate serial number, hex
 * @param subject subject distinguished name (RFC 2253)
 * @param sha256Fingerprint lower-case hex SHA-256 of the DER certificate
 * @param keyAlgorithm public key algorithm ("EC" or "RSA")
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
public record TrustRootDescription(String serial, String subject, String sha256Fingerprint, String keyAlgorithm,
        Instant notBefore, Instant notAfter) {
}
