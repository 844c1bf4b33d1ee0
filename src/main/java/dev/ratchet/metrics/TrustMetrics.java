package dev.ratchet.metrics;

import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Meters of the trust roots this node uses now: how many, seconds until the newest and the oldest
 * expire, and how many rotations it has seen (a new newest root adopted). Gauges read the supplier when
 * scraped; {@link #rootsAdopted} is called when the replicated roots change. Thread-safe.
 */
public final class TrustMetrics implements MeterBinder {

    private final Supplier<TrustRoots> roots;
    private final Clock clock;
    private volatile Counter rotations;
    private String newestSeen;

    /**
     * @param roots the roots this node trusts now
     * @param clock the node's clock
     */
    public TrustMetrics(Supplier<TrustRoots> roots, Clock clock) {
        this.roots = Objects.requireNonNull(roots, "roots");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.trust.roots", this, m -> m.roots.get().size())
                .description("Trust roots this node trusts now").register(registry);
        Gauge.builder("ratchet.trust.newest.root.expiry", this, m -> m.secondsUntilExpiry(m.roots.get().newest()))
                .baseUnit("seconds").description("Seconds until the newest trust root expires (negative: expired)")
                .register(registry);
        Gauge.builder("ratchet.trust.oldest.root.expiry", this, m -> {
                    TrustRoots r = m.roots.get();
                    return m.secondsUntilExpiry(r.get(r.size() - 1));
                })
                .baseUnit("seconds").description("Seconds until the oldest trust root expires (negative: expired)")
                .register(registry);
        // Timestamps as Prometheus advises (an alert compares them with time()); the "seconds until" gauges stay for dashboards.
        Gauge.builder("ratchet.trust.newest.root.expiry.timestamp", this, m -> epochSeconds(m.roots.get().newest()))
                .baseUnit("seconds").description("When the newest trust root expires, in Unix seconds").register(registry);
        Gauge.builder("ratchet.trust.oldest.root.expiry.timestamp", this, m -> {
                    TrustRoots r = m.roots.get();
                    return epochSeconds(r.get(r.size() - 1));
                })
                .baseUnit("seconds").description("When the oldest trust root expires, in Unix seconds").register(registry);
        rotations = Counter.builder("ratchet.trust.rotations")
                .description("Rotations seen by this node: a new newest trust root adopted").register(registry);
        synchronized (this) {
            newestSeen = roots.get().newest().fingerprint();
        }
    }

    /** Counts a rotation when {@code adopted} has a newest root this node had not seen as newest. */
    public synchronized void rootsAdopted(TrustRoots adopted) {
        String newest = adopted.newest().fingerprint();
        if (newestSeen != null && !newestSeen.equals(newest) && rotations != null) {
            rotations.increment();
        }
        newestSeen = newest;
    }

    private static double epochSeconds(TrustRoot root) {
        return root.notAfter().toEpochMilli() / 1000.0;
    }

    private double secondsUntilExpiry(TrustRoot root) {
        return Duration.between(clock.instant(), root.notAfter()).toMillis() / 1000.0;
    }
}
