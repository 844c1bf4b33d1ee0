package dev.ratchet.bench.ratis;

import java.util.Locale;

/**
 * One measured window, in the shared benchmark schema (docs: bench-schema). Latencies in milliseconds.
 * Immutable.
 */
public record WindowResult(String system, int nodes, String workload, int valueBytes, int clients, double seconds,
        long ok, long failed, double perSecond, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

    /** The row as one JSON object, field order as in the schema. */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"system\":\"%s\",\"nodes\":%d,\"workload\":\"%s\",\"valueBytes\":%d,\"clients\":%d,\"seconds\":%.1f,"
                        + "\"ok\":%d,\"failed\":%d,\"perSecond\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,"
                        + "\"maxMs\":%.3f}",
                system, nodes, workload, valueBytes, clients, seconds, ok, failed, perSecond, p50Ms, p99Ms, p999Ms, maxMs);
    }
}
