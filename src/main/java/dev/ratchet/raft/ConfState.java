package dev.ratchet.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster membership: voters decide elections and commits, learners only receive the log.
 * A node id is never both. Sets are sorted and unmodifiable so that equal memberships compare and
 * serialize identically on every node.
 */
public record ConfState(Set<String> voters, Set<String> learners) {

    public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

    public ConfState {
        voters = Collections.unmodifiableSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSet(new TreeSet<>(learners));
        for (String id : voters) {
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both voter and learner");
            }
        }
    }

    /** True if the node is a voter or a learner. */
    public boolean contains(String id) {
        return voters.contains(id) || learners.contains(id);
    }
}
