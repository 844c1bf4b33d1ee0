package dev.ratchet.config;

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
 */
@ConfigurationProperties("ratchet.artifacts")
public record ArtifactProperties(
        @DefaultValue("10GB") DataSize maxSize,
        @DefaultValue("2") int fetchThreads,
        @DefaultValue("5s") Duration reconcileInterval,
        @DefaultValue("1m") Duration gcGrace,
        @DefaultValue("10s") Duration readWait) {

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
    }
}
