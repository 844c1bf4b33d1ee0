package dev.ratchet.trust;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts handshake outcomes in memory, per side, root and result. Thread-safe and non-blocking.
 * The number of distinct keys is bounded by sides x roots ever seen x results; roots rotate
 * slowly, and {@link #MAX_KEYS} caps it anyway (later keys count only in the totals).
 */
public final class InMemoryHandshakeCounters implements HandshakeListener {
    /** Limit on distinct (side, root, result) counters. */
    public static final int MAX_KEYS = 4096;

    /** One counter's identity. */
    public record Key(HandshakeSide side, String rootFingerprint, HandshakeResult result) {
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<HandshakeSide, Map<HandshakeResult, LongAdder>> totals = new ConcurrentHashMap<>();

    @Override
    public void onHandshake(HandshakeSide side, String rootFingerprint, HandshakeResult result) {
        totals.computeIfAbsent(side, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(result, r -> new LongAdder()).increment();
        Key key = new Key(side, rootFingerprint, result);
        LongAdder adder = counts.get(key);
        if (adder == null && counts.size() < MAX_KEYS) {
            adder = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        if (adder != null) {
            adder.increment();
        }
    }

    /** Count for one side, root and result. */
    public long count(HandshakeSide side, String rootFingerprint, HandshakeResult result) {
        LongAdder adder = counts.get(new Key(side, rootFingerprint, result));
        return adder == null ? 0 : adder.sum();
    }

    /** Count for one side and result over all roots. */
    public long total(HandshakeSide side, HandshakeResult result) {
        Map<HandshakeResult, LongAdder> bySide = totals.get(side);
        LongAdder adder = bySide == null ? null : bySide.get(result);
        return adder == null ? 0 : adder.sum();
    }

    /** Count for one side over all roots and failed results. */
    public long failures(HandshakeSide side) {
        Map<HandshakeResult, LongAdder> bySide = totals.get(side);
        if (bySide == null) {
            return 0;
        }
        return bySide.entrySet().stream().filter(e -> e.getKey() != HandshakeResult.OK)
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** A snapshot of all per-root counters. */
    public Map<Key, Long> snapshot() {
        Map<Key, Long> copy = new java.util.HashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    @Override
    public String toString() {
        return "InMemoryHandshakeCounters" + snapshot();
    }
}
