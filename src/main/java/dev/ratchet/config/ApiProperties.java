package dev.ratchet.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API.
 *
 * @param requestTimeout how long a request waits for the cluster before answering 504 (outcome unknown)
 * @param maxValueSize the largest document value accepted (413 above it); at most 8 MiB
 * @param maxListLimit the largest page a listing returns
 * @param maxStoreSize the quota on documents (values plus {@link #DOCUMENT_OVERHEAD_BYTES} each): writes
 *        that would pass it are refused with 507, deletes always pass. Every node holds every document in
 *        memory, so this must fit the heap; 0 (the default) means a quarter of the JVM's maximum heap
 * @param anonymous what a request without credentials may do on the key/value and artifact APIs:
 *        {@code none}, {@code read} or {@code read-write} (the default, for compatibility; the Helm chart
 *        sets {@code none}). Anonymous requests never reach admin operations
 * @param certificateGrants grants per client-certificate subject CN, e.g.
 *        {@code ratchet.api.certificate-grants.ci-uploader=artifacts:write:builds/} (bracket a CN with dots
 *        or capitals: {@code certificate-grants[CI.example.com]}); empty (the default): every certificate
 *        the HTTPS connector verified is admin
 * @param maxJsonBody the largest body of a POST other than a join (admin requests), refused with 413
 *        before it is parsed; join bodies have a fixed limit of 8 KiB
 */
@ConfigurationProperties("ratchet.api")
public record ApiProperties(
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("1MB") DataSize maxValueSize,
        @DefaultValue("1000") int maxListLimit,
        @DefaultValue("0") DataSize maxStoreSize,
        @DefaultValue("read-write") AnonymousAccess anonymous,
        Map<String, List<String>> certificateGrants,
        @DefaultValue("64KB") DataSize maxJsonBody) {

    /** What a request without credentials may do on the data plane. */
    public enum AnonymousAccess {
        /** Nothing: every data-plane request needs a token or a certificate. */
        NONE,
        /** Read every key and artifact. */
        READ,
        /** Read and write every key and artifact. */
        READ_WRITE
    }

    /** What a document costs beyond its value (key, etag, revisions, map entry): measured, rounded up. */
    public static final long DOCUMENT_OVERHEAD_BYTES = 384;

    public ApiProperties {
        Validation.require(requestTimeout.compareTo(Duration.ofMillis(10)) >= 0
                && requestTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                "ratchet.api.request-timeout", "between 10ms and 10m", requestTimeout);
        // A value travels in one Raft entry, and an entry in one 16 MiB peer frame with its neighbours.
        Validation.require(maxValueSize.toBytes() >= 1 && maxValueSize.toBytes() <= 8L * 1024 * 1024,
                "ratchet.api.max-value-size", "between 1B and 8MB", maxValueSize);
        Validation.require(maxListLimit >= 1 && maxListLimit <= 100_000,
                "ratchet.api.max-list-limit", "between 1 and 100000", maxListLimit);
        Validation.require(maxStoreSize.toBytes() >= 0 && maxStoreSize.toBytes() <= 1024L * 1024 * 1024 * 1024,
                "ratchet.api.max-store-size", "between 0 (a quarter of the heap) and 1TB", maxStoreSize);
        certificateGrants = certificateGrants == null ? Map.of() : Map.copyOf(certificateGrants);
        certificateGrants.forEach((cn, grants) -> grants.forEach(g -> Validation.require(isGrant(g),
                "ratchet.api.certificate-grants[" + cn + "]",
                "grants 'admin' or '<kv|artifacts>:<read|write|readwrite>:<prefix>', comma-separated", g)));
        Validation.require(maxJsonBody.toBytes() >= 1024 && maxJsonBody.toBytes() <= 16 * 1024 * 1024,
                "ratchet.api.max-json-body", "between 1KB and 16MB", maxJsonBody);
    }

    private static boolean isGrant(String text) {
        try {
            dev.ratchet.security.Grant.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The document quota in bytes, {@code maxStoreSize} or, when 0, a quarter of the maximum heap. */
    public long storeQuotaBytes() {
        return maxStoreSize.toBytes() > 0 ? maxStoreSize.toBytes() : Runtime.getRuntime().maxMemory() / 4;
    }
}
