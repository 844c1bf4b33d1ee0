package dev.ratchet.node;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed peer handshakes at WARN, at most once per peer per minute: the first failure from a peer is
 * logged, the ones within the next minute only counted (at DEBUG), and the next WARN says how many were
 * left out. A peer is whatever the caller can name: the expected node id and address when dialling, the
 * remote address when accepting. Thread-safe (synchronized; called from handshake and dialling threads);
 * never blocks beyond the lock. Remembers at most {@value #MAX_PEERS} peers, so addresses from a scan
 * cannot grow it: past that, failures from peers it does not know share one entry.
 */
final class HandshakeWarnings {

    static final int MAX_PEERS = 256;
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final String OTHERS = "(other peers)";
    private static final Logger log = LoggerFactory.getLogger(HandshakeWarnings.class);

    private final String direction;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        long lastWarning;
        long suppressed;
    }

    /** @param direction "inbound" or "outbound", for the message */
    HandshakeWarnings(String direction, LongSupplier nanoClock) {
        this.direction = direction;
        this.nanoClock = nanoClock;
    }

    /** Records one failed handshake with {@code peer}; logs it at WARN unless one was logged within a minute. */
    synchronized void failed(String peer, String detail) {
        long now = nanoClock.getAsLong();
        String key = peer;
        Window w = windows.get(key);
        if (w == null && windows.size() >= MAX_PEERS) {
            windows.values().removeIf(old -> now - old.lastWarning >= INTERVAL_NANOS && old.suppressed == 0);
            if (windows.size() >= MAX_PEERS) {
                key = OTHERS;
                w = windows.get(key);
            }
        }
        if (w != null && now - w.lastWarning < INTERVAL_NANOS) {
            w.suppressed++;
            log.debug("{} peer handshake with {} failed: {}", direction, peer, detail);
            return;
        }
        long left = w == null ? 0 : w.suppressed;
        if (w == null) {
            w = new Window();
            windows.put(key, w);
        }
        w.lastWarning = now;
        w.suppressed = 0;
        if (left > 0) {
            log.warn("{} peer handshake with {} failed: {} ({} more failures with {} in the last minute were not logged)",
                    direction, peer, detail, left, key);
        } else {
            log.warn("{} peer handshake with {} failed: {} (further failures with it are logged once a minute)",
                    direction, peer, detail);
        }
    }
}
