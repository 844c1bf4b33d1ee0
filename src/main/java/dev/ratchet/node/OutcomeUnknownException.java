package dev.ratchet.node;

/**
 * A write may or may not have been applied: it reached the leader (or its log) but no answer came back
 * (the leader went away, the connection broke after sending, or the entry was folded into a snapshot).
 * Answered with 504; a client should read before retrying a conditional write.
 */
public class OutcomeUnknownException extends RuntimeException {

    public OutcomeUnknownException(String message) {
        super(message);
    }
}
