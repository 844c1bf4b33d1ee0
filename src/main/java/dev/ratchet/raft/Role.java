package dev.ratchet.raft;

/** The role a node plays in its current term. */
public enum Role {
    FOLLOWER,
    /** Running a pre-vote round; the term has not been raised yet. */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
