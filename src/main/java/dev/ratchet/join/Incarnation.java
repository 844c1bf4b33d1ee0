package dev.ratchet.join;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who a data directory is: the node id it was started under, a random incarnation id minted when the
 * directory was empty, and the cluster id once known. A node whose directory is lost comes back as a new
 * incarnation of the same node id and must never vote, or count toward a quorum, as the old one: it has
 * forgotten the old one's log, term and vote.
 *
 * @param clusterId the cluster this directory belongs to, or null while unknown
 * @param nodeId the node id (also the TLS identity)
 * @param incarnation 16 lowercase hex digits, or "" for a data directory from before incarnations
 *     (its Raft id stays the bare node id)
 */
public record Incarnation(String clusterId, String nodeId, String incarnation) {

    /** Longest accepted incarnation id. */
    public static final int MAX_LENGTH = 32;

    public Incarnation {
        dev.ratchet.state.Member.requireValidId(nodeId);
        requireValid(incarnation);
        if (clusterId != null && (clusterId.isEmpty() || clusterId.length() > 64 || !clusterId.chars().allMatch(Incarnation::isIdChar))) {
            throw new IllegalArgumentException("cluster id must be 1..64 letters, digits or '-': '" + clusterId + "'");
        }
    }

    /** A new incarnation of {@code nodeId}, for an empty data directory. */
    public static Incarnation fresh(String clusterId, String nodeId, SecureRandom random) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return new Incarnation(clusterId, nodeId, HexFormat.of().formatHex(bytes));
    }

    /** The incarnation of a data directory from before incarnations: its Raft id is the node id. */
    public static Incarnation legacy(String nodeId) {
        return new Incarnation(null, nodeId, "");
    }

    /** The Raft id of this incarnation. */
    public String raftId() {
        return RaftIds.of(nodeId, incarnation);
    }

    public boolean isLegacy() {
        return incarnation.isEmpty();
    }

    /** The same identity with the cluster id now known. */
    public Incarnation withClusterId(String id) {
        return new Incarnation(id, nodeId, incarnation);
    }

    /**
     * Checks an incarnation id: empty (legacy) or 1..{@value #MAX_LENGTH} lowercase letters and digits.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireValid(String incarnation) {
        if (incarnation == null || incarnation.length() > MAX_LENGTH
                || !incarnation.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
            throw new IllegalArgumentException("incarnation must be at most " + MAX_LENGTH
                    + " lowercase letters and digits: '" + incarnation + "'");
        }
        return incarnation;
    }

    private static boolean isIdChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }
}
