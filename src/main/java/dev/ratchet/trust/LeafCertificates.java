package dev.ratchet.trust;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * This node's leaves, one per root, minted locally on first use and cached. A cached leaf is
 * replaced once half of its lifetime has passed, so a handshake never presents a leaf about to
 * expire. Thread-safe: all methods synchronize on the instance; minting a leaf (key generation and
 * one signature) happens under the lock and takes about a millisecond for EC keys.
 */
public final class LeafCertificates {
    /** Limit on cached leaves; entries for roots no longer listed are dropped past it. */
    static final int MAX_CACHED = 2 * TrustRoots.MAX_ROOTS;

    private final NodeIdentity identity;
    private final TrustSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, LeafCertificate> byRoot = new HashMap<>();

    /**
     * @param identity whom the leaves name
     * @param settings key type, grace and leaf lifetime
     * @param clock time used for minting; inject a skewed clock to model a node with a wrong clock
     * @param random randomness for keys and serials
     */
    public LeafCertificates(NodeIdentity identity, TrustSettings settings, Clock clock, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The identity the leaves name. */
    public NodeIdentity identity() {
        return identity;
    }

    /** The clock used for minting. */
    public Clock clock() {
        return clock;
    }

    /**
     * The current leaf signed by {@code root}, minted if missing or past half its life.
     *
     * @return empty when the root is not valid at this clock's now (expired or not yet valid)
     */
    public synchronized Optional<LeafCertificate> leafFor(TrustRoot root) {
        Instant now = clock.instant();
        LeafCertificate cached = byRoot.get(root.fingerprint());
        if (cached != null && isFresh(cached, root, now)) {
            return Optional.of(cached);
        }
        Instant notBefore = now.minus(settings.certGrace());
        Instant notAfter = now.plus(settings.leafValidity());
        if (!root.isValidAt(now)) {
            // A leaf from such a root would not be valid now either; peers would refuse it.
            return Optional.empty();
        }
        KeyPair keys = settings.keyType().generate(random);
        LeafCertificate leaf = new LeafCertificate(
                Certificates.newLeaf(root, identity, keys.getPublic(), notBefore, notAfter, random),
                keys.getPrivate(), root.fingerprint());
        if (byRoot.size() >= MAX_CACHED) {
            byRoot.clear();
        }
        byRoot.put(root.fingerprint(), leaf);
        return Optional.of(leaf);
    }

    /** Drops cached leaves of roots not in {@code roots}. */
    public synchronized void retainOnly(TrustRoots roots) {
        byRoot.keySet().removeIf(fingerprint -> roots.indexOf(fingerprint) < 0);
    }

    private static boolean isFresh(LeafCertificate leaf, TrustRoot root, Instant now) {
        if (now.isBefore(leaf.notBefore()) || now.isAfter(leaf.notAfter())) {
            return false;
        }
        // A leaf already clamped to its root's end cannot be improved on; re-minting it would only burn CPU.
        boolean clampedToRoot = !leaf.notAfter().isBefore(root.notAfter());
        Duration lifetime = Duration.between(leaf.notBefore(), leaf.notAfter());
        return clampedToRoot || now.isBefore(leaf.notBefore().plus(lifetime.dividedBy(2)));
    }
}
