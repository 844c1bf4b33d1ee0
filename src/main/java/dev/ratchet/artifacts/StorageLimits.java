package dev.ratchet.artifacts;

/**
 * How much disk the artifact store may use.
 *
 * @param quotaBytes most bytes of blobs this node keeps, counting uploads and fetches in progress
 *     ({@code ratchet.artifacts.quota}); 0 means no quota
 * @param minFreeBytes free space to leave on the blob store's volume ({@code ratchet.artifacts.min-free-space});
 *     0 means none
 */
public record StorageLimits(long quotaBytes, long minFreeBytes) {

    /** Validates the limits. */
    public StorageLimits {
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("ratchet.artifacts.quota must not be negative, got " + quotaBytes);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("ratchet.artifacts.min-free-space must not be negative, got "
                    + minFreeBytes);
        }
    }

    /** No quota, no reserve: for tests that are not about disk space. */
    public static StorageLimits none() {
        return new StorageLimits(0, 0);
    }
}
