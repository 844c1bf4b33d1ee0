package dev.ratchet.node;

/** This node cannot serve the request: its storage failed, it is shutting down, or it is not a member. */
public class NodeUnavailableException extends RuntimeException {

    public NodeUnavailableException(String message) {
        super(message);
    }

    public NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
