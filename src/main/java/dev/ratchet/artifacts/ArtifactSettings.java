package dev.ratchet.artifacts;

import java.time.Duration;

/**
 * Limits of the artifact store.
 *
 * @param maxSize largest artifact accepted (larger uploads are refused before or while reading)
 * @param fetchThreads workers fetching blobs from peers
 * @param fetchQueue fetches queued before further ones wait for the next reconciliation round
 * @param fetchAttemptTimeout bound on one transfer from one peer
 * @param serveConcurrency blobs this node streams to peers at once
 * @param chunkBytes bytes per chunk of a blob transfer
 * @param reconcileInterval how often missing blobs are re-queued and unreferenced ones collected
 * @param gcGrace how long an unreferenced blob stays after its last upload or fetch
 * @param readWait how long a read waits for a blob still being fetched before answering 503
 */
public record ArtifactSettings(long maxSize, int fetchThreads, int fetchQueue, Duration fetchAttemptTimeout,
        int serveConcurrency, int chunkBytes, Duration reconcileInterval, Duration gcGrace, Duration readWait) {

    public ArtifactSettings {
        require(maxSize >= 1, "maxSize must be at least 1 byte");
        require(fetchThreads >= 1 && fetchThreads <= 64, "fetchThreads must be 1..64");
        require(fetchQueue >= 1 && fetchQueue <= 1_000_000, "fetchQueue must be 1..1000000");
        require(serveConcurrency >= 1 && serveConcurrency <= 64, "serveConcurrency must be 1..64");
        require(chunkBytes >= 4096 && chunkBytes <= 8 * 1024 * 1024, "chunkBytes must be 4 KiB..8 MiB");
        require(!fetchAttemptTimeout.isNegative() && !fetchAttemptTimeout.isZero(), "fetchAttemptTimeout must be positive");
        require(!reconcileInterval.isNegative() && !reconcileInterval.isZero(), "reconcileInterval must be positive");
        require(!gcGrace.isNegative(), "gcGrace must not be negative");
        require(!readWait.isNegative(), "readWait must not be negative");
    }

    /** 10 GiB artifacts, 2 fetch workers, 1 MiB chunks, reconcile every 5 s, 1 min GC grace, 10 s read wait. */
    public static ArtifactSettings defaults() {
        return new ArtifactSettings(10L * 1024 * 1024 * 1024, 2, 10_000, Duration.ofHours(1), 2, 1024 * 1024,
                Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(10));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
