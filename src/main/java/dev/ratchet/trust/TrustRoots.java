package dev.ratchet.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable ordered list of trust roots, newest first. Part of the replicated state: serialize it
 * with {@link TrustRootsCodec}. Thread-safe because immutable.
 */
public final class TrustRoots {
    /** Hard cap on the list length, far above any valid setting, so bad input cannot grow it. */
    public static final int MAX_ROOTS = 2 * TrustSettings.MAX_TRUST_ROOTS_LIMIT;

    private final List<TrustRoot> roots;

    private TrustRoots(List<TrustRoot> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * Creates a list from roots given newest first.
     *
     * @throws IllegalArgumentException if empty, longer than {@link #MAX_ROOTS}, or a root repeats
     */
    public static TrustRoots of(List<TrustRoot> newestFirst) {
        if (newestFirst.isEmpty()) {
            throw new IllegalArgumentException("trust roots must hold at least one root");
        }
        if (newestFirst.size() > MAX_ROOTS) {
            throw new IllegalArgumentException("trust roots hold " + newestFirst.size() + " roots, limit " + MAX_ROOTS);
        }
        Set<String> seen = new HashSet<>();
        for (TrustRoot root : newestFirst) {
            if (!seen.add(root.fingerprint())) {
                throw new IllegalArgumentException("root " + root.shortId() + " appears twice");
            }
        }
        return new TrustRoots(newestFirst);
    }

    /** Convenience for {@link #of(List)}. */
    public static TrustRoots of(TrustRoot... newestFirst) {
        return of(List.of(newestFirst));
    }

    /** The roots, newest first; the list is unmodifiable. */
    public List<TrustRoot> roots() {
        return roots;
    }

    /** Number of roots, at least one. */
    public int size() {
        return roots.size();
    }

    /** Root at position {@code index}, 0 being the newest. */
    public TrustRoot get(int index) {
        return roots.get(index);
    }

    /** The newest root: the one that signs by preference. */
    public TrustRoot newest() {
        return roots.get(0);
    }

    /** Position of the root with the given fingerprint, or -1. */
    public int indexOf(String fingerprint) {
        for (int i = 0; i < roots.size(); i++) {
            if (roots.get(i).fingerprint().equals(fingerprint)) {
                return i;
            }
        }
        return -1;
    }

    /** The root whose key signed {@code certificate}, if it is one of these roots. */
    public Optional<TrustRoot> issuerOf(X509Certificate certificate) {
        for (TrustRoot root : roots) {
            if (root.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && Certificates.isSignedBy(certificate, root.certificate().getPublicKey())) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    /**
     * A new list with {@code root} in front, roots expired at {@code now} dropped, and the oldest
     * dropped beyond {@code limit}. The new root itself is always kept.
     */
    public TrustRoots withNewest(TrustRoot root, Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        List<TrustRoot> next = new ArrayList<>();
        next.add(root);
        for (TrustRoot old : roots) {
            if (next.size() >= limit) {
                break;
            }
            if (!old.isExpiredAt(now) && !old.fingerprint().equals(root.fingerprint())) {
                next.add(old);
            }
        }
        return new TrustRoots(next);
    }

    /** Public descriptions, newest first, for the admin API. */
    public List<TrustRootDescription> describe() {
        return roots.stream().map(TrustRoot::describe).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustRoots that && roots.equals(that.roots);
    }

    @Override
    public int hashCode() {
        return roots.hashCode();
    }

    @Override
    public String toString() {
        return "TrustRoots" + roots;
    }
}
