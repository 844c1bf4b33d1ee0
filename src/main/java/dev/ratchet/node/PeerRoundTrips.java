package dev.ratchet.node;

import dev.ratchet.transport.PeerTransport;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Measures this node's round trip to each peer with a {@link PeerRequestTypes#PING} request over the
 * ordinary peer connection, as etcd's prober does for {@code etcd_network_peer_round_trip_time_seconds}.
 * A dedicated ping rather than Raft traffic because every node measures every peer (heartbeats only
 * go from the leader), and the time includes neither a follower's fsync nor the leader's batching; it
 * does include queueing behind Raft frames on the same connection, which is what replication feels.
 *
 * <p>Thread-safety: {@link #probe()} may be called from any thread and never blocks; the listener runs
 * on a transport thread when an answer arrives, so it must not block. A peer whose previous ping is
 * unanswered is skipped, so a dead peer costs at most one outstanding call.
 */
public final class PeerRoundTrips {

    /** Told of one measured round trip; called from transport threads, must not block. */
    @FunctionalInterface
    public interface Listener {
        void roundTrip(String peerId, long nanos);
    }

    /** How often the node pings each peer (etcd's prober: every 4 s). */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    private static final byte[] EMPTY = new byte[0];

    private final PeerTransport transport;
    private final Supplier<Collection<String>> peers;
    private final Duration timeout;
    private final LongSupplier nanoClock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Listener listener = (peer, nanos) -> { };

    /**
     * @param transport the peer transport the pings go over
     * @param peers the peers to measure (members other than this node), read at every probe
     * @param timeout how long a ping may wait for its answer
     * @param nanoClock monotonic clock the round trip is measured on
     */
    public PeerRoundTrips(PeerTransport transport, Supplier<Collection<String>> peers, Duration timeout,
            LongSupplier nanoClock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Answers peers' pings: an empty response to an empty request, a clear failure to anything else. */
    public void register() {
        transport.registerHandler(PeerRequestTypes.PING, (peer, payload) -> payload.length == 0
                ? CompletableFuture.completedFuture(EMPTY)
                : CompletableFuture.failedFuture(new IllegalArgumentException(
                        "a ping carries no payload, got " + payload.length + " bytes")));
    }

    /** Replaces the listener (one at a time: the metrics binder installs it). */
    public void setListener(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Pings every peer not already waiting for an answer. Never blocks or throws for a peer's failure. */
    public void probe() {
        Collection<String> current;
        try {
            current = peers.get();
        } catch (RuntimeException e) {
            return; // The member list is unreadable now (stopping); the next probe tries again.
        }
        for (String peer : current) {
            if (!inFlight.add(peer)) {
                continue;
            }
            long start = nanoClock.getAsLong();
            CompletableFuture<byte[]> answer;
            try {
                answer = transport.call(peer, PeerRequestTypes.PING, EMPTY, timeout);
            } catch (RuntimeException e) {
                inFlight.remove(peer);
                continue;
            }
            answer.whenComplete((response, failure) -> {
                inFlight.remove(peer);
                if (failure == null) {
                    listener.roundTrip(peer, nanoClock.getAsLong() - start);
                }
            });
        }
    }
}
