package dev.ratchet.raft;

/** A request to the core was refused; the core's state is unchanged. */
public class RaftException extends RuntimeException {

    public RaftException(String message) {
        super(message);
    }
}
