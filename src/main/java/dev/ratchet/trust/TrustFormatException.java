package dev.ratchet.trust;

/**
 * Serialized trust roots were malformed, truncated, oversized or inconsistent. The message says
 * what was wrong and where, never what key bytes were seen.
 */
public final class TrustFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that contains no key material. */
    public TrustFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause whose own message is dropped, because JCA exceptions may
     * quote the bytes they failed on.
     */
    public TrustFormatException(String message, Throwable cause) {
        super(message + " (" + cause.getClass().getSimpleName() + ")");
    }
}
