package dev.ratchet.metrics;

import dev.ratchet.transport.TransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Per-peer transport counters (bytes and frames in and out, reconnects, dial failures, queue drops,
 * frame errors) and connection totals. Peers appear as they become known: call {@link #watchPeers} when
 * the member list changes; meters of peers that left stay (their counters simply stop), which bounds the
 * series by the number of nodes ever in the cluster.
 *
 * <p>Reading {@link TransportStats} copies the transport's counters, so one copy is shared by every
 * meter of a scrape (cached for {@link #STATS_MAX_AGE}). Thread-safe.
 */
public final class TransportMetrics implements MeterBinder {

    /** How long one copy of the transport statistics serves the meters of a scrape. */
    public static final Duration STATS_MAX_AGE = Duration.ofMillis(500);
    /** Peers tracked at most; more means a misconfiguration, not a cluster. */
    public static final int MAX_PEERS = 256;

    private final Supplier<TransportStats> source;
    private final Supplier<Collection<String>> knownPeers;
    private final LongSupplier nanoClock;
    private final Set<String> boundPeers = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private volatile TransportStats cached;
    private volatile long cachedAt;

    /**
     * @param source the transport's statistics
     * @param knownPeers the peers known when binding (members other than this node)
     * @param nanoClock monotonic clock for the statistics cache
     */
    public TransportMetrics(Supplier<TransportStats> source, Supplier<Collection<String>> knownPeers,
            LongSupplier nanoClock) {
        this.source = Objects.requireNonNull(source, "source");
        this.knownPeers = Objects.requireNonNull(knownPeers, "knownPeers");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("ratchet.transport.connections.opened", this, m -> m.stats().connectionsOpened())
                .description("Peer connections established, dialed and accepted").register(registry);
        FunctionCounter.builder("ratchet.transport.connections.closed", this, m -> m.stats().connectionsClosed())
                .description("Peer connections closed for any reason").register(registry);
        FunctionCounter.builder("ratchet.transport.accept.failures", this, m -> m.stats().acceptFailures())
                .description("Inbound peer connections refused during authentication or over the limit")
                .register(registry);
        watchPeers(stats().peers().keySet());
        watchPeers(knownPeers.get());
    }

    /** Registers meters for peers not seen before (idempotent; a no-op before binding). */
    public void watchPeers(Collection<String> peerIds) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        for (String peer : peerIds) {
            if (boundPeers.size() >= MAX_PEERS || !boundPeers.add(peer)) {
                continue;
            }
            peerCounter(r, "ratchet.transport.sent", "bytes", "Bytes written to a peer, framing included", peer,
                    TransportStats.PeerStats::bytesOut);
            peerCounter(r, "ratchet.transport.received", "bytes", "Bytes read from a peer, framing included", peer,
                    TransportStats.PeerStats::bytesIn);
            peerCounter(r, "ratchet.transport.frames.sent", null, "Frames written to a peer", peer,
                    TransportStats.PeerStats::framesOut);
            peerCounter(r, "ratchet.transport.frames.received", null, "Frames read from a peer", peer,
                    TransportStats.PeerStats::framesIn);
            peerCounter(r, "ratchet.transport.reconnects", null, "Dials to a peer after a lost connection", peer,
                    TransportStats.PeerStats::reconnects);
            peerCounter(r, "ratchet.transport.dial.failures", null, "Failed dials to a peer", peer,
                    TransportStats.PeerStats::dialFailures);
            peerCounter(r, "ratchet.transport.queue.drops", null,
                    "Messages and calls refused because a peer's send queue was full", peer,
                    TransportStats.PeerStats::queueDrops);
            peerCounter(r, "ratchet.transport.frame.errors", null, "Connections with a peer closed for an invalid frame",
                    peer, TransportStats.PeerStats::frameErrors);
        }
    }

    private void peerCounter(MeterRegistry r, String name, String unit, String help, String peer,
            ToLongFunction<TransportStats.PeerStats> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsLong(m.stats().peer(peer)))
                .baseUnit(unit).tag("peer", peer).description(help).register(r);
    }

    private TransportStats stats() {
        long now = nanoClock.getAsLong();
        TransportStats s = cached;
        if (s == null || now - cachedAt > STATS_MAX_AGE.toNanos()) {
            s = source.get();
            cached = s;
            cachedAt = now;
        }
        return s;
    }
}
