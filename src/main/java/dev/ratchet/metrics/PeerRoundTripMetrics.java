package dev.ratchet.metrics;

import dev.ratchet.node.PeerRoundTrips;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ratchet_transport_peer_round_trip_seconds}: a histogram per peer of the round trips
 * {@link PeerRoundTrips} measures (the counterpart of etcd's
 * {@code etcd_network_peer_round_trip_time_seconds}). A peer's series appears with its first answered
 * ping; at most {@link TransportMetrics#MAX_PEERS} peers get one.
 *
 * <p>Binding installs the prober's listener (replacing any other one) through the given setter; the
 * listener runs on transport threads and only records into a timer. Thread-safe; bind to one registry.
 */
public final class PeerRoundTripMetrics implements MeterBinder {

    private final Consumer<PeerRoundTrips.Listener> install;
    private final Map<String, Timer> byPeer = new ConcurrentHashMap<>();

    /** @param install sets the listener of the prober whose round trips to record */
    public PeerRoundTripMetrics(Consumer<PeerRoundTrips.Listener> install) {
        this.install = Objects.requireNonNull(install, "install");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        install.accept((peer, nanos) -> timer(registry, peer).ifPresent(t -> t.record(nanos, TimeUnit.NANOSECONDS)));
    }

    private Optional<Timer> timer(MeterRegistry registry, String peer) {
        Timer t = byPeer.get(peer);
        if (t == null) {
            if (byPeer.size() >= TransportMetrics.MAX_PEERS) {
                return Optional.empty();
            }
            t = byPeer.computeIfAbsent(peer, p -> Timer.builder("ratchet.transport.peer.round.trip")
                    .description("Round trip of a ping to a peer over the peer connection (queueing behind "
                            + "Raft traffic included)")
                    .tag("peer", p).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(10)).register(registry));
        }
        return Optional.of(t);
    }
}
