package dev.ratchet.raft;

import java.util.Map;

/**
 * A snapshot of a node's Raft state for monitoring; {@code progress} is empty unless the node leads.
 *
 * @param leadTransferee the node leadership is being handed to, or null
 * @param leaderCommit the highest commit index this node has heard a leader announce (its own when it
 *        leads): a follower whose applied index is far below it is still catching up
 * @param snapshotIndex the index of the latest snapshot in this node's storage (0 if none), so monitoring
 *        never has to read the storage from another thread
 */
public record Status(String id, Role role, long term, String leader, long commit, long applied, long lastIndex,
                     ConfState conf, String leadTransferee, Map<String, FollowerStatus> progress, long leaderCommit,
                     long snapshotIndex) {

    public Status {
        progress = Map.copyOf(progress);
    }

    /** A status without a snapshot index (reported as 0), for callers that build one by hand. */
    public Status(String id, Role role, long term, String leader, long commit, long applied, long lastIndex,
                  ConfState conf, String leadTransferee, Map<String, FollowerStatus> progress, long leaderCommit) {
        this(id, role, term, leader, commit, applied, lastIndex, conf, leadTransferee, progress, leaderCommit, 0);
    }

    /** The leader's view of one follower. {@code state} is PROBE, REPLICATE or SNAPSHOT. */
    public record FollowerStatus(long match, long next, String state, long ticksSinceContact, boolean recentActive,
                                 boolean learner) {

        /**
         * True when the follower answered within the last {@code ticks} ticks. Unlike {@code recentActive},
         * which check-quorum clears at every election timeout, this does not flicker for a healthy peer.
         */
        public boolean heardWithin(long ticks) {
            return ticksSinceContact < ticks;
        }
    }
}
