package dev.ratchet.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API.
 *
 * @param requestTimeout how long a request waits for the cluster before answering 504 (outcome unknown)
 * @param maxValueSize the largest document value accepted (413 above it); at most 8 MiB
 * @param maxListLimit the largest page a listing returns
 */
@ConfigurationProperties("ratchet.api")
public record ApiProperties(
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("1MB") DataSize maxValueSize,
        @DefaultValue("1000") int maxListLimit) {

    public ApiProperties {
        Validation.require(requestTimeout.compareTo(Duration.ofMillis(10)) >= 0
                && requestTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                "ratchet.api.request-timeout", "between 10ms and 10m", requestTimeout);
        // A value travels in one Raft entry, and an entry in one 16 MiB peer frame with its neighbours.
        Validation.require(maxValueSize.toBytes() >= 1 && maxValueSize.toBytes() <= 8L * 1024 * 1024,
                "ratchet.api.max-value-size", "between 1B and 8MB", maxValueSize);
        Validation.require(maxListLimit >= 1 && maxListLimit <= 100_000,
                "ratchet.api.max-list-limit", "between 1 and 100000", maxListLimit);
    }
}
