package dev.ratchet.node;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what unauthenticated connections to the peer port may hold, validated at construction;
 * error messages name the property to fix.
 *
 * @param deadline overall time from accepting a TCP connection to an authenticated peer
 *     ({@code ratchet.peer.handshake.deadline}); a client that dribbles bytes is cut off here
 * @param maxPending connections accepted and not yet authenticated, from all addresses together
 *     ({@code ratchet.peer.handshake.max-pending}); each holds one handshake thread
 * @param maxPendingPerAddress of those, from one source IP address
 *     ({@code ratchet.peer.handshake.max-pending-per-address}), so one host cannot take them all
 */
public record PeerHandshakeLimits(Duration deadline, int maxPending, int maxPendingPerAddress) {

    /** Upper bound on {@code maxPending}: every pending handshake holds a thread. */
    public static final int MAX_PENDING_LIMIT = 1024;

    /** Validates the limits. */
    public PeerHandshakeLimits {
        Objects.requireNonNull(deadline, "ratchet.peer.handshake.deadline must be set");
        if (deadline.compareTo(Duration.ofMillis(100)) < 0 || deadline.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("ratchet.peer.handshake.deadline must be between 100ms and 5m, got "
                    + deadline);
        }
        if (maxPending < 1 || maxPending > MAX_PENDING_LIMIT) {
            throw new IllegalArgumentException("ratchet.peer.handshake.max-pending must be between 1 and "
                    + MAX_PENDING_LIMIT + ", got " + maxPending);
        }
        if (maxPendingPerAddress < 1 || maxPendingPerAddress > maxPending) {
            throw new IllegalArgumentException("ratchet.peer.handshake.max-pending-per-address must be between 1 and"
                    + " ratchet.peer.handshake.max-pending (" + maxPending + "), got " + maxPendingPerAddress);
        }
    }

    /** 10 s deadline, 128 pending handshakes, 16 from one address. */
    public static PeerHandshakeLimits defaults() {
        return new PeerHandshakeLimits(Duration.ofSeconds(10), 128, 16);
    }
}
