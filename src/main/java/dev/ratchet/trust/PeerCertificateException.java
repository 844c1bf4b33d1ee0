package dev.ratchet.trust;

import java.security.cert.CertificateException;

/** Our trust manager refused a peer's certificate; {@link #reason()} says why, as a metric class. */
public final class PeerCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final HandshakeResult reason;

    /** Creates the exception; the message names certificates by subject and serial only. */
    public PeerCertificateException(HandshakeResult reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the certificate was refused. */
    public HandshakeResult reason() {
        return reason;
    }
}
