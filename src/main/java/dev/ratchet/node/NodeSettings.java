package dev.ratchet.node;

import dev.ratchet.state.Member;
import dev.ratchet.storage.StorageOptions;
import dev.ratchet.trust.TrustSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a node needs to run, already validated (the Spring configuration maps the {@code ratchet.*}
 * properties onto it; tests build it directly).
 *
 * @param nodeId this node's id
 * @param dataDir the data directory
 * @param bootstrap create a new cluster if the data directory is empty
 * @param joinToken the cluster's join secret
 * @param initialPeers peer addresses ({@code host:port}) of other members by id, known before the log says
 * @param joinAddresses API URLs to join through
 * @param peerHost the host other nodes dial (also in this node's certificate)
 * @param peerPort the peer port
 * @param bindHost the address the peer listener binds
 * @param sourceHost the local address outbound peer connections leave from, or null for the OS's choice
 * @param apiUrl this node's advertised API URL
 * @param heartbeatInterval one Raft tick
 * @param electionTicks election timeout in ticks
 * @param snapshotEntries applied entries between snapshots
 * @param trust trust-root settings
 * @param requestTimeout bound on forwarded requests and joins
 * @param replaceAfter how long the leader must not have heard from an old incarnation of a node id
 *        before a new incarnation (the node back with an empty data directory) replaces it
 * @param handshakeLimits bounds on unauthenticated connections to the peer port
 * @param storage limits of the Raft storage (among them the catch-up margin a snapshot leaves in the log)
 * @param maxJoinVoters joiners are promoted to voter only while there are fewer voters than this
 */
public record NodeSettings(String nodeId, Path dataDir, boolean bootstrap, String joinToken,
        Map<String, String> initialPeers, List<URI> joinAddresses, String peerHost, int peerPort, String bindHost,
        String sourceHost, String apiUrl, Duration heartbeatInterval, int electionTicks, long snapshotEntries, TrustSettings trust,
        Duration requestTimeout, Duration replaceAfter, PeerHandshakeLimits handshakeLimits, StorageOptions storage,
        int maxJoinVoters) {

    /** The default of {@code ratchet.join.max-voters}. */
    public static final int DEFAULT_MAX_JOIN_VOTERS = 5;

    public NodeSettings {
        if (maxJoinVoters < 1 || maxJoinVoters > 7) {
            throw new IllegalArgumentException("maxJoinVoters must be 1..7: " + maxJoinVoters);
        }
        if (replaceAfter == null || replaceAfter.isNegative()) {
            throw new IllegalArgumentException("replaceAfter must be a non-negative duration: " + replaceAfter);
        }
        initialPeers = Map.copyOf(initialPeers);
        joinAddresses = List.copyOf(joinAddresses);
        java.util.Objects.requireNonNull(handshakeLimits, "handshakeLimits");
        java.util.Objects.requireNonNull(storage, "storage");
    }

    /**
     * As the canonical constructor, with {@link PeerHandshakeLimits#defaults()}, {@link StorageOptions#DEFAULTS}
     * and at most 5 voters by joins.
     */
    public NodeSettings(String nodeId, Path dataDir, boolean bootstrap, String joinToken,
            Map<String, String> initialPeers, List<URI> joinAddresses, String peerHost, int peerPort, String bindHost,
            String sourceHost, String apiUrl, Duration heartbeatInterval, int electionTicks, long snapshotEntries,
            TrustSettings trust, Duration requestTimeout, Duration replaceAfter) {
        this(nodeId, dataDir, bootstrap, joinToken, initialPeers, joinAddresses, peerHost, peerPort, bindHost, sourceHost,
                apiUrl, heartbeatInterval, electionTicks, snapshotEntries, trust, requestTimeout, replaceAfter,
                PeerHandshakeLimits.defaults(), StorageOptions.DEFAULTS, DEFAULT_MAX_JOIN_VOTERS);
    }

    /** The election timeout: one tick times the election ticks. */
    public Duration electionTimeout() {
        return heartbeatInterval.multipliedBy(electionTicks);
    }

    /** This node as a member record. */
    public Member self() {
        return new Member(nodeId, peerHost + ":" + peerPort, apiUrl);
    }
}
