package dev.ratchet.node;

/**
 * A proposal's log slot was taken by another leader's entry, or folded into a snapshot before it could be
 * applied here: it was not applied as proposed (or its result is unknown here). Safe to retry with a
 * precondition (If-Match).
 */
public class ProposalLostException extends RuntimeException {

    public ProposalLostException(long index) {
        super("the proposal at index " + index + " was superseded by a leader change; retry");
    }

    /** The same, reported by the leader for a proposal a follower forwarded ({@code message} is the leader's). */
    public ProposalLostException(String message) {
        super(message);
    }
}
