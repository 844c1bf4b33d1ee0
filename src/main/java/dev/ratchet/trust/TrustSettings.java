package dev.ratchet.trust;

import java.time.Duration;
import java.util.Objects;

/**
 * Trust-root rotation settings, validated at construction. Error messages name the configuration
 * property so an operator knows what to fix.
 *
 * @param rootCertExpire lifetime of a root ({@code ratchet.trust.root-cert-expire}), default 90 days
 * @param maxTrustRoots how many rotations a root lives through ({@code ratchet.trust.max-trust-roots}),
 *     default 3; the root list never holds more than {@code maxTrustRoots + 1} roots
 * @param certGrace clock-skew allowance added to both ends of every validity window
 *     ({@code ratchet.trust.cert-grace}), default 1 hour
 * @param keyType key algorithm of new roots and leaves ({@code ratchet.trust.key-type})
 */
public record TrustSettings(Duration rootCertExpire, int maxTrustRoots, Duration certGrace, KeyType keyType) {

    /** Upper bound on {@code maxTrustRoots}: keeps the root list and the TLS iteration small. */
    public static final int MAX_TRUST_ROOTS_LIMIT = 16;

    /** Validates the settings. */
    public TrustSettings {
        Objects.requireNonNull(rootCertExpire, "ratchet.trust.root-cert-expire must be set");
        Objects.requireNonNull(certGrace, "ratchet.trust.cert-grace must be set");
        Objects.requireNonNull(keyType, "ratchet.trust.key-type must be set");
        if (maxTrustRoots < 1 || maxTrustRoots > MAX_TRUST_ROOTS_LIMIT) {
            throw new IllegalArgumentException("ratchet.trust.max-trust-roots must be between 1 and "
                    + MAX_TRUST_ROOTS_LIMIT + ", got " + maxTrustRoots);
        }
        if (rootCertExpire.isNegative() || rootCertExpire.isZero()) {
            throw new IllegalArgumentException(
                    "ratchet.trust.root-cert-expire must be positive, got " + rootCertExpire);
        }
        if (certGrace.isNegative()) {
            throw new IllegalArgumentException("ratchet.trust.cert-grace must not be negative, got " + certGrace);
        }
        if (certGrace.compareTo(rootCertExpire) > 0) {
            throw new IllegalArgumentException("ratchet.trust.cert-grace (" + certGrace
                    + ") must not exceed ratchet.trust.root-cert-expire (" + rootCertExpire + ")");
        }
        Duration interval = rootCertExpire.dividedBy(2L * maxTrustRoots + 1);
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("ratchet.trust.root-cert-expire (" + rootCertExpire
                    + ") divided by 2*ratchet.trust.max-trust-roots+1 (" + (2 * maxTrustRoots + 1)
                    + ") gives a rotation check interval of zero");
        }
    }

    /** 90 days, 3 roots, 1 hour grace, ECDSA P-256. */
    public static TrustSettings defaults() {
        return new TrustSettings(Duration.ofDays(90), 3, Duration.ofHours(1), KeyType.EC_P256);
    }

    /** How often the leader checks whether a rotation is due: rootCertExpire/(2*maxTrustRoots+1). */
    public Duration rotationCheckInterval() {
        return rootCertExpire.dividedBy(2L * maxTrustRoots + 1);
    }

    /** Age of the newest root at which a new one is made: rootCertExpire/maxTrustRoots. */
    public Duration rotationAge() {
        return rootCertExpire.dividedBy(maxTrustRoots);
    }

    /** Longest root list a rotation can produce: the hard cap {@code maxTrustRoots + 1}. */
    public int rootListLimit() {
        return maxTrustRoots + 1;
    }

    /**
     * Lifetime of a leaf: two check intervals plus the grace, so a leaf outlives a missed check but
     * stays short compared with its root. Always clamped to the root's own window when minted.
     */
    public Duration leafValidity() {
        return rotationCheckInterval().multipliedBy(2).plus(certGrace);
    }
}
