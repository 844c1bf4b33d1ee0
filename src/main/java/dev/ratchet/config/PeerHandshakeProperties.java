package dev.ratchet.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on unauthenticated connections to the peer port, bound from {@code ratchet.peer.handshake.*}
 * (see docs/trust.md, "Limits on the peer port"). Checked again, with the same property names, by
 * {@code dev.ratchet.node.PeerHandshakeLimits}.
 *
 * @param deadline overall time from TCP accept to an authenticated peer
 * @param maxPending handshakes in progress from all addresses together
 * @param maxPendingPerAddress handshakes in progress from one source IP address
 */
@ConfigurationProperties("ratchet.peer.handshake")
public record PeerHandshakeProperties(
        @DefaultValue("10s") Duration deadline,
        @DefaultValue("128") int maxPending,
        @DefaultValue("16") int maxPendingPerAddress) {

    public PeerHandshakeProperties {
        Validation.require(deadline.compareTo(Duration.ofMillis(100)) >= 0 && deadline.compareTo(Duration.ofMinutes(5)) <= 0,
                "ratchet.peer.handshake.deadline", "between 100ms and 5m", deadline);
        Validation.require(maxPending >= 1 && maxPending <= 1024, "ratchet.peer.handshake.max-pending",
                "between 1 and 1024", maxPending);
        Validation.require(maxPendingPerAddress >= 1 && maxPendingPerAddress <= maxPending,
                "ratchet.peer.handshake.max-pending-per-address", "between 1 and ratchet.peer.handshake.max-pending",
                maxPendingPerAddress);
    }
}
