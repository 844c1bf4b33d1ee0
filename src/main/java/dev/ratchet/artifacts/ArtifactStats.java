package dev.ratchet.artifacts;

/**
 * A reading of the artifact store for metrics and health: the replicated index (artifacts, their total
 * size) and this node's copy of it (blobs on disk, blobs still wanted, transfers).
 */
public record ArtifactStats(long artifacts, long artifactBytes, long localBlobs, long localBytes,
        long pendingFetches, long activeFetches, long fetchesCompleted, long fetchFailures, long bytesFetched,
        long bytesServed, long blobsCollected, long reconcileRounds) {
}
