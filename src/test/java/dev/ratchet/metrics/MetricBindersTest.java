package dev.ratchet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.node.DriverStats;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.HandshakeResult;
import dev.ratchet.trust.HandshakeSide;
import dev.ratchet.trust.KeyType;
import dev.ratchet.trust.RootRotationPolicy;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustSettings;
import dev.ratchet.transport.TransportStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The binders against hand-made inputs: each meter reports what its source says, as it changes. */
class MetricBindersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void raftGaugesFollowTheStatus() {
        Status follower = new Status("n1", Role.FOLLOWER, 3, null, 10, 8, 12, new ConfState(Set.of("n1", "n2"), Set.of()),
                null, Map.of(), 10);
        AtomicReference<Status> status = new AtomicReference<>(follower);
        new RaftMetrics(status::get, () -> 8, new DriverStats(), Duration.ofMillis(50)).bindTo(registry);
        assertThat(gauge("ratchet.raft.term")).isEqualTo(3);
        assertThat(gauge("ratchet.raft.role", "role", "follower")).isEqualTo(1);
        assertThat(gauge("ratchet.raft.role", "role", "leader")).isZero();
        assertThat(gauge("ratchet.raft.has.leader")).isZero();
        assertThat(gauge("ratchet.raft.apply.lag.entries")).isEqualTo(2);
        assertThat(gauge("ratchet.raft.follower.lag.entries")).isZero();

        status.set(new Status("n1", Role.LEADER, 4, "n1", 100, 100, 100, new ConfState(Set.of("n1", "n2", "n3"), Set.of()),
                null, Map.of("n2", new Status.FollowerStatus(97, 98, "REPLICATE", 0, true, false),
                        "n3", new Status.FollowerStatus(40, 41, "PROBE", 5, true, false)), 100));
        assertThat(gauge("ratchet.raft.role", "role", "leader")).isEqualTo(1);
        assertThat(gauge("ratchet.raft.has.leader")).isEqualTo(1);
        assertThat(gauge("ratchet.raft.follower.lag.entries")).isEqualTo(60);
        assertThat(registry.get("ratchet.raft.proposals").tag("outcome", "failed").functionCounter().count()).isZero();
    }

    @Test
    void peerRoundTripsGoToOneTimerPerPeerUpToTheCap() {
        AtomicReference<dev.ratchet.node.PeerRoundTrips.Listener> installed = new AtomicReference<>();
        new PeerRoundTripMetrics(installed::set).bindTo(registry);
        installed.get().roundTrip("n2", 2_000_000);
        installed.get().roundTrip("n2", 4_000_000);
        installed.get().roundTrip("n3", 1_000_000);
        io.micrometer.core.instrument.Timer n2 = registry.get("ratchet.transport.peer.round.trip").tag("peer", "n2").timer();
        assertThat(n2.count()).isEqualTo(2);
        assertThat(n2.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(6.0);
        assertThat(registry.get("ratchet.transport.peer.round.trip").tag("peer", "n3").timer().count()).isEqualTo(1);
        for (int i = 0; i < TransportMetrics.MAX_PEERS + 10; i++) {
            installed.get().roundTrip("p" + i, 1_000);
        }
        assertThat(registry.find("ratchet.transport.peer.round.trip").timers()).hasSize(TransportMetrics.MAX_PEERS);
    }

    @Test
    void trustMetersCountRotationsAndTimeLeft() {
        TrustSettings settings = new TrustSettings(Duration.ofDays(9), 3, Duration.ofHours(1), KeyType.EC_P256);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        SecureRandom random = new SecureRandom();
        AtomicReference<TrustRoots> roots = new AtomicReference<>(Certificates.seed(settings, start, random));
        TrustMetrics metrics = new TrustMetrics(roots::get, Clock.fixed(start.plus(Duration.ofDays(4)), ZoneOffset.UTC));
        metrics.bindTo(registry);
        // Seed root: valid until start + 9d + 1h; 4 days in, 5d 1h remain.
        assertThat(gauge("ratchet.trust.newest.root.expiry")).isEqualTo(Duration.ofDays(5).plusHours(1).toSeconds());
        assertThat(gauge("ratchet.trust.roots")).isEqualTo(1);

        metrics.rootsAdopted(roots.get());
        assertThat(registry.get("ratchet.trust.rotations").counter().count()).isZero();
        Instant later = start.plus(Duration.ofDays(4));
        TrustRoots rotated = RootRotationPolicy.rotated(later, roots.get(), Certificates.newRoot(settings, later, random), settings);
        roots.set(rotated);
        metrics.rootsAdopted(rotated);
        metrics.rootsAdopted(rotated);
        assertThat(registry.get("ratchet.trust.rotations").counter().count()).isEqualTo(1);
        assertThat(gauge("ratchet.trust.roots")).isEqualTo(2);
        assertThat(gauge("ratchet.trust.newest.root.expiry")).isEqualTo(Duration.ofDays(9).plusHours(1).toSeconds());
        assertThat(gauge("ratchet.trust.oldest.root.expiry")).isEqualTo(Duration.ofDays(5).plusHours(1).toSeconds());
    }

    @Test
    void handshakesAreCountedBySideRootAndResultWithBoundedSeries() {
        MicrometerHandshakeListener listener = new MicrometerHandshakeListener(registry);
        String root = "0123456789abcdef".repeat(4);
        listener.onHandshake(HandshakeSide.CLIENT, root, HandshakeResult.OK);
        listener.onHandshake(HandshakeSide.CLIENT, root, HandshakeResult.OK);
        listener.onHandshake(HandshakeSide.SERVER, root, HandshakeResult.UNKNOWN_ROOT);
        listener.onHandshake(HandshakeSide.SERVER, null, HandshakeResult.NO_LEAF);
        assertThat(registry.get("ratchet.tls.handshakes").tags("side", "client", "root", "0123456789abcdef", "result", "ok")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("ratchet.tls.handshakes").tags("side", "server", "result", "unknown_root")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("ratchet.tls.handshakes").tags("root", "unknown").counter().count()).isEqualTo(1);
        for (int i = 0; i < MicrometerHandshakeListener.MAX_SERIES + 10; i++) {
            listener.onHandshake(HandshakeSide.CLIENT, String.format("%016x", i + 1_000_000) + "0".repeat(48), HandshakeResult.TIMEOUT);
        }
        assertThat(registry.find("ratchet.tls.handshakes").counters()).hasSizeLessThanOrEqualTo(MicrometerHandshakeListener.MAX_SERIES + 1);
        assertThat(registry.get("ratchet.tls.handshakes").tags("root", "other").counter().count()).isPositive();
    }

    @Test
    void transportCountersPerPeerShareOneStatsCopyPerScrape() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<TransportStats> stats = new AtomicReference<>(new TransportStats(
                Map.of("n2", new TransportStats.PeerStats(1, 100, 2, 200, 0, 1, 0, 0, 0, 0)), 1, 0, 0, 0));
        long[] now = {0};
        TransportMetrics metrics = new TransportMetrics(() -> {
            reads.incrementAndGet();
            return stats.get();
        }, () -> List.of("n3"), () -> now[0]);
        metrics.bindTo(registry);
        assertThat(registry.get("ratchet.transport.sent").tag("peer", "n2").functionCounter().count()).isEqualTo(100);
        assertThat(registry.get("ratchet.transport.received").tag("peer", "n3").functionCounter().count()).isZero();
        int before = reads.get();
        stats.set(new TransportStats(Map.of("n2", new TransportStats.PeerStats(5, 500, 2, 200, 3, 1, 1, 0, 0, 0)), 2, 1, 0, 0));
        assertThat(registry.get("ratchet.transport.sent").tag("peer", "n2").functionCounter().count()).isEqualTo(100);
        now[0] += TransportMetrics.STATS_MAX_AGE.toNanos() + 1;
        assertThat(registry.get("ratchet.transport.sent").tag("peer", "n2").functionCounter().count()).isEqualTo(500);
        assertThat(registry.get("ratchet.transport.queue.drops").tag("peer", "n2").functionCounter().count()).isEqualTo(3);
        assertThat(reads.get()).isEqualTo(before + 1);
        metrics.watchPeers(List.of("n4"));
        assertThat(registry.get("ratchet.transport.reconnects").tag("peer", "n4").functionCounter().count()).isZero();
    }
}
