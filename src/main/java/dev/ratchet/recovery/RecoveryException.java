package dev.ratchet.recovery;

/**
 * A recovery command refused or failed; the message says why and what to do, and is printed to the
 * operator as it is. Nothing was changed unless the message says so.
 */
public final class RecoveryException extends RuntimeException {

    public RecoveryException(String message) {
        super(message);
    }

    public RecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
