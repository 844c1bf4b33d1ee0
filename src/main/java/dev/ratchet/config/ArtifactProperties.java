package dev.ratchet.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Artifact store settings, bound from {@code ratchet.artifacts.*}.
 *
 * @param maxSize the largest artifact accepted (413 above it)
 * @param fetchThreads workers copying blobs from peers
 * @param reconcileInterval how often missing blobs are re-queued and unreferenced ones removed
 * @param gcGrace how long an unreferenced blob stays after its last upload or fetch
 * @param readWait how long a read waits for content still being copied to this node before 503
 * @param dir where blobs live; unset means {@code ${ratchet.data-dir}/blobs}. Put it on its own volume so
 *     artifacts can never fill the disk the Raft log is on
 * @param quota most bytes of blobs a node keeps, uploads and fetches in progress included; 0 means none.
 *     Uploads over it get 507, replicas wait
 * @param minFreeSpace free space always left on the blob directory's volume; 0 means none. Uploads that
 *     would eat into it get 507, replicas wait
 */
@ConfigurationProperties("ratchet.artifacts")
public record ArtifactProperties(
        @DefaultValue("10GB") DataSize maxSize,
        @DefaultValue("2") int fetchThreads,
        @DefaultValue("5s") Duration reconcileInterval,
        @DefaultValue("1m") Duration gcGrace,
        @DefaultValue("10s") Duration readWait,
        Path dir,
        @DefaultValue("0") DataSize quota,
        @DefaultValue("1GB") DataSize minFreeSpace) {

    public ArtifactProperties {
        Validation.require(maxSize.toBytes() >= 1, "ratchet.artifacts.max-size", "at least 1B", maxSize);
        Validation.require(fetchThreads >= 1 && fetchThreads <= 64, "ratchet.artifacts.fetch-threads",
                "between 1 and 64", fetchThreads);
        Validation.require(reconcileInterval.compareTo(Duration.ofMillis(100)) >= 0
                && reconcileInterval.compareTo(Duration.ofHours(1)) <= 0,
                "ratchet.artifacts.reconcile-interval", "between 100ms and 1h", reconcileInterval);
        Validation.require(!gcGrace.isNegative() && gcGrace.compareTo(Duration.ofDays(7)) <= 0,
                "ratchet.artifacts.gc-grace", "between 0s and 7d", gcGrace);
        Validation.require(!readWait.isNegative() && readWait.compareTo(Duration.ofMinutes(5)) <= 0,
                "ratchet.artifacts.read-wait", "between 0s and 5m", readWait);
        Validation.require(quota.toBytes() >= 0, "ratchet.artifacts.quota", "0 (none) or a size", quota);
        Validation.require(minFreeSpace.toBytes() >= 0, "ratchet.artifacts.min-free-space", "0 (none) or a size",
                minFreeSpace);
    }
}
