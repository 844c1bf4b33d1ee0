package dev.ratchet.join;

import dev.ratchet.state.Member;

/**
 * Raft ids of node incarnations. A node's Raft id is {@code <nodeId>~<incarnation>}; a data directory
 * from before incarnations existed keeps the bare node id (the legacy incarnation, written as the empty
 * string). Node ids cannot contain {@code '~'} ({@link Member#requireValidId}), so the split is never
 * ambiguous. TLS and the transport know only node ids; Raft knows only Raft ids.
 */
public final class RaftIds {

    /** Separates the node id from the incarnation in a Raft id. */
    public static final char SEPARATOR = '~';

    private RaftIds() {
    }

    /** The Raft id of {@code nodeId}'s {@code incarnation} (the bare node id for the legacy one). */
    public static String of(String nodeId, String incarnation) {
        return incarnation.isEmpty() ? nodeId : nodeId + SEPARATOR + incarnation;
    }

    /** The node id part of a Raft id (the whole id for a legacy incarnation); null stays null. */
    public static String nodeId(String raftId) {
        if (raftId == null) {
            return null;
        }
        int at = raftId.indexOf(SEPARATOR);
        return at < 0 ? raftId : raftId.substring(0, at);
    }

    /** The incarnation part of a Raft id, "" for a legacy incarnation. */
    public static String incarnation(String raftId) {
        int at = raftId.indexOf(SEPARATOR);
        return at < 0 ? "" : raftId.substring(at + 1);
    }

    /** True if both Raft ids are incarnations of the same node id. */
    public static boolean sameNode(String a, String b) {
        return nodeId(a).equals(nodeId(b));
    }
}
