package dev.ratchet.trust;

import java.io.IOException;

/** A mutual-TLS handshake with a peer failed for good (after all allowed attempts on the client). */
public final class PeerHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final HandshakeResult reason;
    private final int attempts;

    /** Creates the exception. */
    public PeerHandshakeException(String message, HandshakeResult reason, int attempts, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.attempts = attempts;
    }

    /** Outcome class of the last attempt. */
    public HandshakeResult reason() {
        return reason;
    }

    /** Handshake attempts made. */
    public int attempts() {
        return attempts;
    }
}
