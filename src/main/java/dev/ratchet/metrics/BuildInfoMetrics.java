package dev.ratchet.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code ratchet_build_info{version, java_version} 1}, the Prometheus convention for joining a node's
 * version onto its other series (and for seeing a rolling upgrade's progress).
 */
public final class BuildInfoMetrics implements MeterBinder {

    /** Used when the classes do not come from the built jar (tests, an IDE). */
    static final String UNKNOWN_VERSION = "unknown";

    private final String version;

    /** @param version the build's version, or null when unknown */
    public BuildInfoMetrics(String version) {
        this.version = version == null || version.isBlank() ? UNKNOWN_VERSION : version;
    }

    /** The version from the jar manifest's Implementation-Version (null outside the built jar). */
    public static String jarVersion() {
        return BuildInfoMetrics.class.getPackage().getImplementationVersion();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.build.info", () -> 1).tag("version", version)
                .tag("java_version", System.getProperty("java.version", UNKNOWN_VERSION))
                .description("Always 1; the labels name this node's build").register(registry);
    }
}
