package dev.ratchet.watch;

/** The node already serves as many watches or blocking reads as it is configured to. */
public final class WatchLimitException extends RuntimeException {

    public WatchLimitException(String message) {
        super(message);
    }
}
