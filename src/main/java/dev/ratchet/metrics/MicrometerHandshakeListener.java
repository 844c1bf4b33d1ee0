package dev.ratchet.metrics;

import dev.ratchet.trust.HandshakeListener;
import dev.ratchet.trust.HandshakeResult;
import dev.ratchet.trust.HandshakeSide;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts TLS handshakes between peers as {@code ratchet_tls_handshakes_total{side, root, result}}, where
 * {@code root} is the short id (first 16 hex digits of the fingerprint) of the root whose leaf this node
 * presented. Series are bounded: past {@link #MAX_SERIES} distinct combinations, new ones are counted
 * under {@code root="other"}. Thread-safe, never blocks, never throws (as {@link HandshakeListener}
 * requires).
 */
public final class MicrometerHandshakeListener implements HandshakeListener {

    /** Distinct (side, root, result) series at most. */
    public static final int MAX_SERIES = 1024;

    private record Key(HandshakeSide side, String root, HandshakeResult result) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    public MicrometerHandshakeListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onHandshake(HandshakeSide side, String rootFingerprint, HandshakeResult result) {
        try {
            String root = rootFingerprint == null || rootFingerprint.length() < 16 ? "unknown"
                    : rootFingerprint.substring(0, 16);
            Key key = new Key(side, root, result);
            Counter c = counters.get(key);
            if (c == null) {
                if (counters.size() >= MAX_SERIES) {
                    key = new Key(side, "other", result);
                }
                c = counters.computeIfAbsent(key, this::register);
            }
            c.increment();
        } catch (RuntimeException e) {
            // Counting must never break a connection (HandshakeListener contract).
        }
    }

    private Counter register(Key key) {
        return Counter.builder("ratchet.tls.handshakes")
                .description("Peer TLS handshake attempts by our side, the root we presented, and the outcome")
                .tag("side", key.side().name().toLowerCase(Locale.ROOT))
                .tag("root", key.root())
                .tag("result", key.result().name().toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
