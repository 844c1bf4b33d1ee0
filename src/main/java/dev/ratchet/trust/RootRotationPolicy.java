package dev.ratchet.trust;

import java.time.Duration;
import java.time.Instant;

/**
 * When to rotate, and what the list looks like after a rotation. Pure functions of the time, the
 * roots and the settings; thread-safe.
 *
 * <p>The seed's rule: the newest root is replaced when it is older than
 * {@code rootCertExpire/maxTrustRoots}; the new root goes in front, expired roots go, and the list
 * is capped at {@code maxTrustRoots + 1}. Checked every {@code rootCertExpire/(2*maxTrustRoots+1)},
 * so with {@code maxTrustRoots >= 3} two valid roots always overlap once the second exists.
 */
public final class RootRotationPolicy {
    private RootRotationPolicy() {
    }

    /** When {@code root} was made: its notBefore plus the grace that was subtracted from it. */
    public static Instant createdAt(TrustRoot root, TrustSettings settings) {
        return root.notBefore().plus(settings.certGrace());
    }

    /** True when the newest root is at least {@link TrustSettings#rotationAge()} old at {@code now}. */
    public static boolean isRotationDue(Instant now, TrustRoots roots, TrustSettings settings) {
        Duration age = Duration.between(createdAt(roots.newest(), settings), now);
        return age.compareTo(settings.rotationAge()) >= 0 || !roots.newest().isValidAt(now);
    }

    /** The list after a rotation at {@code now} that adds {@code fresh}. */
    public static TrustRoots rotated(Instant now, TrustRoots roots, TrustRoot fresh, TrustSettings settings) {
        return roots.withNewest(fresh, now, settings.rootListLimit());
    }
}
