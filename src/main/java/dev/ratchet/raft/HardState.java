package dev.ratchet.raft;

/**
 * The part of a node's Raft state that must be durable before it sends any message that depends on it:
 * the current term, whom it voted for in that term ({@code null} for nobody) and the commit index.
 */
public record HardState(long term, String votedFor, long commit) {

    public static final HardState EMPTY = new HardState(0, null, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("term and commit must be >= 0: " + term + ", " + commit);
        }
    }
}
