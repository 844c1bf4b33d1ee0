package dev.ratchet.transport;

import java.util.Map;

/**
 * A point-in-time copy of a transport's counters, for the metrics layer. All values are totals since the
 * transport started, except {@link PeerStats#queuedFrames()}.
 *
 * @param peers per-peer counters, by peer id
 * @param connectionsOpened connections established, dialed and accepted
 * @param connectionsClosed connections closed for any reason
 * @param frameErrors connections closed because of an invalid frame
 * @param acceptFailures inbound connections refused during authentication or over the connection limit
 */
public record TransportStats(
        Map<String, PeerStats> peers,
        long connectionsOpened,
        long connectionsClosed,
        long frameErrors,
        long acceptFailures) {

    public TransportStats {
        peers = Map.copyOf(peers);
    }

    /** Counters of one peer, or all zeros for a peer never seen. */
    public PeerStats peer(String peerId) {
        return peers.getOrDefault(peerId, PeerStats.ZERO);
    }

    /**
     * Counters of traffic with one peer, both directions and all its connections.
     *
     * @param framesOut frames written to the peer
     * @param bytesOut bytes written to the peer, framing included
     * @param framesIn frames read from the peer
     * @param bytesIn bytes read from the peer, framing included
     * @param queueDrops messages and calls refused because the peer's send queue was full
     * @param connectionsOpened connections to or from this peer established
     * @param reconnects dials after the first successful one (each follows a lost connection)
     * @param dialFailures dials that failed
     * @param frameErrors connections with this peer closed because of an invalid frame
     * @param queuedFrames frames waiting in the send queue to this peer right now (a gauge, not a total)
     */
    public record PeerStats(
            long framesOut,
            long bytesOut,
            long framesIn,
            long bytesIn,
            long queueDrops,
            long connectionsOpened,
            long reconnects,
            long dialFailures,
            long frameErrors,
            long queuedFrames) {

        /** No traffic at all. */
        public static final PeerStats ZERO = new PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
