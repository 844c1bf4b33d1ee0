package dev.ratchet.raft;

import java.util.Map;

/**
 * A snapshot of a node's Raft state for monitoring; {@code progress} is empty unless the node leads.
 *
 * @param leadTransferee the node leadership is being handed to, or null
 */
public record Status(String id, Role role, long term, String leader, long commit, long applied, long lastIndex,
                     ConfState conf, String leadTransferee, Map<String, FollowerStatus> progress) {

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
