package dev.ratchet.metrics;

import dev.ratchet.state.ArtifactRecord;
import dev.ratchet.state.ClusterState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;

/**
 * Meters of the replicated artifact index and documents: how many and how large. Read from
 * {@link ClusterState} when scraped (the artifact sum walks the index: fine for the index sizes a scrape
 * every few seconds sees; a running total kept by the artifact service would replace it). Pending blob
 * fetches are left to the artifact service, which owns them. Thread-safe.
 */
public final class ArtifactMetrics implements MeterBinder {

    private final ClusterState state;

    public ArtifactMetrics(ClusterState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.artifacts", this, m -> m.state.allArtifacts().size())
                .description("Artifacts in the replicated index").register(registry);
        Gauge.builder("ratchet.artifacts.size", this, m -> totalSize(m.state.allArtifacts()))
                .baseUnit("bytes").description("Total size of the artifacts in the replicated index")
                .register(registry);
        Gauge.builder("ratchet.documents", this, m -> m.state.documentStats()[0])
                .description("Documents (keys) in the replicated state").register(registry);
        Gauge.builder("ratchet.documents.size", this, m -> m.state.documentStats()[1])
                .baseUnit("bytes").description("Total size of the document values in the replicated state")
                .register(registry);
    }

    private static double totalSize(List<ArtifactRecord> artifacts) {
        long sum = 0;
        for (ArtifactRecord a : artifacts) {
            sum += a.size();
        }
        return sum;
    }
}
