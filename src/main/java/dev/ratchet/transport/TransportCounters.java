package dev.ratchet.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** All live counters of one transport; thread-safe. */
final class TransportCounters {

    /** Bounds the per-peer map even if unauthenticated-but-accepted ids churn (tests, misconfiguration). */
    private static final int MAX_TRACKED_PEERS = 1024;

    private final Map<String, PeerCounters> peers = new ConcurrentHashMap<>();
    private final PeerCounters overflow = new PeerCounters();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder frameErrors = new LongAdder();
    final LongAdder acceptFailures = new LongAdder();

    PeerCounters peer(String peerId) {
        PeerCounters existing = peers.get(peerId);
        if (existing != null) {
            return existing;
        }
        if (peers.size() >= MAX_TRACKED_PEERS) {
            return overflow;
        }
        return peers.computeIfAbsent(peerId, id -> new PeerCounters());
    }

    /** The counters, with each peer's current send queue depth taken from {@code queuedFrames}. */
    TransportStats snapshot(Map<String, Integer> queuedFrames) {
        Map<String, TransportStats.PeerStats> copy = new HashMap<>();
        peers.forEach((id, counters) -> copy.put(id, counters.snapshot(queuedFrames.getOrDefault(id, 0))));
        return new TransportStats(copy, connectionsOpened.sum(), connectionsClosed.sum(), frameErrors.sum(),
                acceptFailures.sum());
    }
}
