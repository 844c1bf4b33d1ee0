package dev.ratchet.node;

/** No leader is known right now (an election is under way or this node is cut off); retry shortly. */
public class NoLeaderException extends RuntimeException {

    public NoLeaderException(String message) {
        super(message);
    }
}
