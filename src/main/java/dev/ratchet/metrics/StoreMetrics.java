package dev.ratchet.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Meters of the replicated documents and their quota: how many documents, the bytes of their values,
 * the bytes the quota counts (values plus a fixed overhead per document) and the quota itself, as etcd
 * exports its database size next to its backend quota. Gauges read the suppliers when scraped; the
 * suppliers are called from the scraping thread and must be thread-safe.
 */
public final class StoreMetrics implements MeterBinder {

    private final Supplier<long[]> documentStats;
    private final long overheadPerDocument;
    private final LongSupplier quotaBytes;

    /**
     * @param documentStats the number of documents and the total bytes of their values, in that order
     * @param overheadPerDocument bytes the quota counts for each document besides its value
     * @param quotaBytes the document quota in bytes
     */
    public StoreMetrics(Supplier<long[]> documentStats, long overheadPerDocument, LongSupplier quotaBytes) {
        this.documentStats = Objects.requireNonNull(documentStats, "documentStats");
        this.overheadPerDocument = overheadPerDocument;
        this.quotaBytes = Objects.requireNonNull(quotaBytes, "quotaBytes");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.documents", this, m -> m.documentStats.get()[0])
                .description("Documents (keys) in the replicated state").register(registry);
        Gauge.builder("ratchet.documents.size", this, m -> m.documentStats.get()[1]).baseUnit("bytes")
                .description("Total size of the document values").register(registry);
        Gauge.builder("ratchet.store.quota.used", this, StoreMetrics::used).baseUnit("bytes")
                .description("Bytes the document quota counts: values plus the per-document overhead").register(registry);
        Gauge.builder("ratchet.store.quota", this, m -> m.quotaBytes.getAsLong()).baseUnit("bytes")
                .description("The document quota (ratchet.api.max-store-size); writes past it get 507").register(registry);
    }

    private double used() {
        long[] s = documentStats.get();
        return s[1] + s[0] * overheadPerDocument;
    }
}
