package dev.ratchet.raft;

/** The leader refused a proposal for now (transfer in progress, pending conf change, too many uncommitted entries). */
public class ProposalDroppedException extends RaftException {

    public ProposalDroppedException(String message) {
        super(message);
    }
}
