package dev.ratchet.raft;

/** The request needs the leader and this node is not it; {@link #leaderHint()} names the leader it knows, or null. */
public class NotLeaderException extends RaftException {

    private final String leaderHint;

    public NotLeaderException(String self, String leaderHint) {
        super(self + " is not the leader (leader: " + leaderHint + ")");
        this.leaderHint = leaderHint;
    }

    public String leaderHint() {
        return leaderHint;
    }
}
