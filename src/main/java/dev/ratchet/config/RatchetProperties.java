package dev.ratchet.config;

import dev.ratchet.state.Member;
import dev.ratchet.trust.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything a node needs to start, bound from {@code ratchet.*} (environment variables work too:
 * {@code RATCHET_NODE_ID}, {@code RATCHET_JOIN_TOKEN}, ...). Each value is checked here, so a wrong one
 * stops start-up with one line naming the property.
 *
 * @param nodeId this node's stable id (letters, digits, '-', '.', '_'; at most 63)
 * @param dataDir where the log, snapshots, roots and artifacts live (created 0700)
 * @param bootstrap true on exactly one node, once, to create a new cluster
 * @param joinToken the cluster secret a node proves to join; at least 16 characters
 * @param adminToken the bearer token for admin operations; none means admin writes are refused
 * @param joinTokenFile a file holding the join token instead of {@code joinToken} (read at start-up)
 * @param adminTokenFile a file holding the admin token instead of {@code adminToken} (read at start-up)
 * @param peers the initial members, {@code id@host:port} (their peer addresses)
 * @param joinAddresses API base URLs of existing members to join through (like Vault's retry_join)
 * @param apiUrl the URL other nodes and clients use to reach this node's API; derived when empty
 * @param membership membership upkeep (replacing a node that came back with an empty data directory)
 * @param join what joins may do to the membership
 * @param autopilot dead-voter cleanup (off unless {@code ratchet.autopilot.dead-after} is set)
 */
@ConfigurationProperties("ratchet")
public record RatchetProperties(
        String nodeId,
        Path dataDir,
        @DefaultValue("false") boolean bootstrap,
        String joinToken,
        String adminToken,
        Path joinTokenFile,
        Path adminTokenFile,
        @DefaultValue List<String> peers,
        @DefaultValue List<URI> joinAddresses,
        String apiUrl,
        @DefaultValue Peer peer,
        @DefaultValue Raft raft,
        @DefaultValue Trust trust,
        @DefaultValue Membership membership,
        @DefaultValue Join join,
        @DefaultValue Autopilot autopilot) {

    /** Shortest accepted join or admin token. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public RatchetProperties {
        Validation.require(nodeId != null && !nodeId.isBlank(), "ratchet.node-id", "set (e.g. node-1)", nodeId);
        try {
            Member.requireValidId(nodeId);
        } catch (IllegalArgumentException e) {
            throw new Validation.InvalidPropertyException("ratchet.node-id",
                    "1-63 letters, digits, '-', '.' or '_'", nodeId);
        }
        Validation.require(dataDir != null, "ratchet.data-dir", "set to a writable directory", null);
        joinToken = SecretFile.resolve("ratchet.join-token", joinToken, joinTokenFile);
        adminToken = SecretFile.resolve("ratchet.admin-token", adminToken, adminTokenFile);
        Validation.require(joinToken != null && joinToken.length() >= MIN_TOKEN_LENGTH, "ratchet.join-token",
                "a secret of at least " + MIN_TOKEN_LENGTH + " characters (e.g. from `openssl rand -hex 24`),"
                + " or given as a file with ratchet.join-token-file",
                joinToken == null ? null : "<" + joinToken.length() + " characters>");
        Validation.require(adminToken == null || adminToken.length() >= MIN_TOKEN_LENGTH, "ratchet.admin-token",
                "unset or a secret of at least " + MIN_TOKEN_LENGTH + " characters",
                adminToken == null ? null : "<" + adminToken.length() + " characters>");
        peers = List.copyOf(peers);
        for (String p : peers) {
            PeerAddress.parse(p);
        }
        joinAddresses = List.copyOf(joinAddresses);
        for (URI u : joinAddresses) {
            Validation.require(("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null,
                    "ratchet.join-addresses", "http(s) URLs of members' APIs, comma-separated", u);
        }
        if (apiUrl != null && !apiUrl.isBlank()) {
            URI u = URI.create(apiUrl);
            Validation.require(("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null,
                    "ratchet.api-url", "an http(s) URL", apiUrl);
        }
        Duration minDead = raft.electionTimeout().multipliedBy(Autopilot.MIN_DEAD_AFTER_ELECTIONS);
        Validation.require(autopilot.deadAfter() == null || autopilot.deadAfter().compareTo(minDead) >= 0,
                "ratchet.autopilot.dead-after", "unset (off), or at least " + Autopilot.MIN_DEAD_AFTER_ELECTIONS
                + " x ratchet.raft.election-timeout (" + minDead.toMillis() + "ms); longer than any planned"
                + " downtime of a node, e.g. 30m", autopilot.deadAfter());
    }

    /**
     * The peer (Raft) listener.
     *
     * @param host the address to bind and to advertise to peers (a name or IP they can reach)
     * @param port the peer port
     * @param bindHost the address to bind, when it differs from {@code host} (e.g. 0.0.0.0 in a pod)
     * @param sourceHost the local address outbound peer connections leave from (multi-homed hosts,
     *        per-node firewall rules); unset lets the OS choose
     */
    public record Peer(@DefaultValue("127.0.0.1") String host, @DefaultValue("7000") int port, String bindHost,
            String sourceHost) {
        public Peer {
            Validation.require(host != null && !host.isBlank(), "ratchet.peer.host", "a host name or IP", host);
            Validation.require(port >= 1 && port <= 65535, "ratchet.peer.port", "a port between 1 and 65535", port);
            Validation.require(sourceHost == null || !sourceHost.isBlank(), "ratchet.peer.source-host",
                    "a local host name or IP (or unset)", sourceHost);
        }
    }

    /**
     * Raft timing.
     *
     * @param heartbeatInterval how often the leader heartbeats; also the tick length
     * @param electionTimeout how long a follower waits without a leader before an election (randomized up to 2x)
     * @param snapshotEntries entries applied between snapshots
     * @param snapshotCatchUpEntries entries a snapshot leaves in the log below its index, so that a follower
     *     a little behind is sent entries rather than the whole snapshot (etcd's SnapshotCatchUpEntries)
     * @param snapshotCatchUpBytes the same margin, cut at this many entry bytes as well
     * @param walSegmentSize a WAL segment is closed and the next one started at this size
     */
    public record Raft(@DefaultValue("50ms") Duration heartbeatInterval, @DefaultValue("500ms") Duration electionTimeout,
            @DefaultValue("10000") long snapshotEntries, @DefaultValue("5000") long snapshotCatchUpEntries,
            @DefaultValue("64MB") DataSize snapshotCatchUpBytes, @DefaultValue("64MB") DataSize walSegmentSize) {

        /** The log index keeps 20 bytes of heap per retained entry: 1,000,000 is 20 MB. */
        public static final long MAX_CATCH_UP_ENTRIES = 1_000_000;
        /** The margin is on disk only, but a snapshot never frees the WAL below it: cap it at 1 GB. */
        public static final DataSize MAX_CATCH_UP_BYTES = DataSize.ofGigabytes(1);

        public Raft {
            Validation.require(heartbeatInterval.compareTo(Duration.ofMillis(5)) >= 0
                    && heartbeatInterval.compareTo(Duration.ofSeconds(10)) <= 0,
                    "ratchet.raft.heartbeat-interval", "between 5ms and 10s", heartbeatInterval);
            Validation.require(electionTimeout.compareTo(heartbeatInterval.multipliedBy(3)) >= 0
                    && electionTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
                    "ratchet.raft.election-timeout", "at least 3x ratchet.raft.heartbeat-interval and at most 1m",
                    electionTimeout);
            Validation.require(snapshotEntries >= 10, "ratchet.raft.snapshot-entries", "at least 10", snapshotEntries);
            Validation.require(snapshotCatchUpEntries >= 0 && snapshotCatchUpEntries <= MAX_CATCH_UP_ENTRIES,
                    "ratchet.raft.snapshot-catch-up-entries", "between 0 and " + MAX_CATCH_UP_ENTRIES,
                    snapshotCatchUpEntries);
            Validation.require(snapshotCatchUpBytes != null && !snapshotCatchUpBytes.isNegative()
                    && snapshotCatchUpBytes.compareTo(MAX_CATCH_UP_BYTES) <= 0,
                    "ratchet.raft.snapshot-catch-up-bytes", "between 0B and 1GB", snapshotCatchUpBytes);
            Validation.require(walSegmentSize != null && walSegmentSize.compareTo(DataSize.ofKilobytes(64)) >= 0
                    && walSegmentSize.compareTo(DataSize.ofGigabytes(1)) <= 0,
                    "ratchet.raft.wal-segment-size", "between 64KB and 1GB", walSegmentSize);
        }

        /** Election timeout in ticks of one heartbeat interval. */
        public int electionTicks() {
            return (int) Math.max(3, electionTimeout.toNanos() / heartbeatInterval.toNanos());
        }
    }

    /**
     * Trust-root rotation (see docs/trust.md).
     *
     * @param rootCertExpire lifetime of a root
     * @param maxTrustRoots rotations a root lives through
     * @param certGrace clock-skew allowance on both ends of validity windows
     * @param keyType key algorithm for roots and leaves
     */
    public record Trust(@DefaultValue("90d") Duration rootCertExpire, @DefaultValue("3") int maxTrustRoots,
            @DefaultValue("1h") Duration certGrace, @DefaultValue("EC_P256") KeyType keyType) {
    }

    /**
     * Membership upkeep.
     *
     * @param replaceAfter how long the leader must not have heard from a member before a node that came
     *        back under its id with an empty data directory (a new incarnation) replaces it; unset means
     *        10 election timeouts. A join claiming the id of a member heard from more recently is refused.
     */
    public record Membership(Duration replaceAfter) {
        public Membership {
            Validation.require(replaceAfter == null || !replaceAfter.isNegative(), "ratchet.membership.replace-after",
                    "a non-negative duration (e.g. 30s), or unset for 10 election timeouts", replaceAfter);
        }
    }

    /**
     * @param maxVoters joiners are promoted to voter automatically only while the cluster has fewer voters
     *     than this; beyond it they stay learners until {@code POST /api/v1/admin/members/{id}/promote}.
     *     So whoever holds a join token cannot outvote the members by joining many times.
     */
    public record Join(@DefaultValue("5") int maxVoters) {
        public Join {
            Validation.require(maxVoters >= 1 && maxVoters <= 7, "ratchet.join.max-voters",
                    "a number of voters from 1 to 7 (Raft clusters rarely gain from more than 5)", maxVoters);
        }
    }

    /**
     * Dead-voter cleanup by the leader (like Consul's autopilot). A removal is for good: the node is barred
     * and the roots rotate past it, so it comes back only with an empty data directory.
     *
     * @param deadAfter the leader removes a voter it has not heard from for this long, one at a time;
     *     unset (the default) means never: a node down for maintenance must not be thrown out
     * @param minVoters the cleanup never leaves fewer voters than this
     */
    public record Autopilot(Duration deadAfter, @DefaultValue("3") int minVoters) {

        /** dead-after must be at least this many election timeouts: elections and pauses are not death. */
        public static final int MIN_DEAD_AFTER_ELECTIONS = 10;

        public Autopilot {
            Validation.require(deadAfter == null || !(deadAfter.isNegative() || deadAfter.isZero()), "ratchet.autopilot.dead-after",
                    "a positive duration (e.g. 30m), or unset for off", deadAfter);
            Validation.require(minVoters >= 1 && minVoters <= 7, "ratchet.autopilot.min-voters",
                    "a number of voters from 1 to 7 (3 keeps a cluster able to lose one more node)", minVoters);
        }
    }

    /** Parsed {@code id@host:port}. */
    public record PeerAddress(String id, String host, int port) {
        public static PeerAddress parse(String s) {
            String expected = "id@host:port (e.g. node-2@127.0.0.1:7002)";
            int at = s == null ? -1 : s.indexOf('@');
            int colon = s == null ? -1 : s.lastIndexOf(':');
            Validation.require(at > 0 && colon > at + 1 && colon < s.length() - 1, "ratchet.peers", expected, s);
            String id = s.substring(0, at).strip();
            String host = s.substring(at + 1, colon).strip();
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new Validation.InvalidPropertyException("ratchet.peers", expected, s);
            }
            Validation.require(port >= 1 && port <= 65535, "ratchet.peers", expected, s);
            try {
                Member.requireValidId(id);
            } catch (IllegalArgumentException e) {
                throw new Validation.InvalidPropertyException("ratchet.peers", expected + " with a valid node id", s);
            }
            return new PeerAddress(id, host, port);
        }

        public String hostPort() {
            return host + ":" + port;
        }
    }
}
