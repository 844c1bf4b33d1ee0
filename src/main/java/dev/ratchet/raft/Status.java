package dev.ratchet.raft;

import java.util.Map;

/**
 * A snapshot of a node's Raft state for monitoring; {@code progress} is empty unless the node leads.
 *
 * @param leadTransferee the node leadership is being handed to, or null
 * @param leaderCommit the highest commit index this node has heard a leader announce (its own when it
 *        leads): a follower whose applied index is far below it is still catching up
 */
public record Status(String id, Role role, long term, String leader, long commit, long applied, long lastIndex,
                     ConfState conf, String leadTransferee, Map<String, FollowerStatus> progress, long leaderCommit) {

    public Status {
        progress = Map.copyOf(progress);
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
