package dev.ratchet.trust;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLException;

/** Reading a failed handshake: its metric class, and whether it is evidence for the acceptor's root ratchet. */
final class HandshakeFailures {
    /** How JSSE words a fatal alert it received from the other side (stable since JDK 11). */
    private static final String RECEIVED_ALERT = "Received fatal alert: ";
    /** The TLS alerts (RFC 8446 section 6.2) a client sends when it does not accept the server's certificate. */
    private static final List<String> CERTIFICATE_ALERTS = List.of("bad_certificate",
            "unsupported_certificate", "certificate_revoked", "certificate_expired", "certificate_unknown",
            "unknown_ca");


    private HandshakeFailures() {
    }

    /** Maps a failed handshake to its outcome class, preferring our own trust manager's verdict. */
    static HandshakeResult classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateException p) {
                return p.reason();
            }
            if (t instanceof SocketTimeoutException) {
                return HandshakeResult.TIMEOUT;
            }
        }
        if (failure instanceof SSLException || failure instanceof EOFException
                || failure instanceof java.net.SocketException) {
            return HandshakeResult.REJECTED_BY_PEER;
        }
        return HandshakeResult.IO_ERROR;
    }

    /**
     * Whether a failed accepted handshake says the dialer refused the leaf we presented: we answered
     * a valid ClientHello with our certificate, and the dialer then went away before sending its own,
     * with a fatal certificate alert or by dropping the connection (a client that closes right after
     * its alert often resets the connection before the alert is read). That is the one failure another
     * of our roots could cure, the dialer having missed rotations, so the only one that moves the
     * acceptor's ratchet. Everything else is refused the same whichever root we present: no TLS at all,
     * a timeout (a dialer that refuses us does so at once), a dialer that accepted our leaf and then sent
     * none, one from a root we do not hold or one naming a non-member (our checks trust every root we
     * hold, whichever we present).
     *
     * @param progress how far the handshake got
     * @param failure what ended it
     */
    static boolean dialerRefusedOurLeaf(Progress progress, Throwable failure) {
        if (!progress.leafPresented || progress.dialerCertificateArrived) {
            return false;
        }
        boolean dropped = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return false;
            }
            if (t instanceof SSLException && t.getMessage() != null && receivedCertificateAlert(t.getMessage())) {
                return true;
            }
            dropped |= t instanceof EOFException || t instanceof java.net.SocketException;
        }
        return dropped;
    }

    private static boolean receivedCertificateAlert(String message) {
        for (String alert : CERTIFICATE_ALERTS) {
            if (message.startsWith(RECEIVED_ALERT + alert)) {
                return true;
            }
        }
        return false;
    }

    /** How far one accepted handshake got; written by JSSE's handshake thread, read after it ends. */
    static final class Progress {
        private volatile boolean leafPresented;
        private volatile boolean dialerCertificateArrived;

        /** Our key manager gave JSSE our leaf for the server's Certificate message. */
        void leafPresented() {
            leafPresented = true;
        }

        /** The dialer sent a non-empty certificate chain: it accepted ours. */
        void dialerCertificateArrived() {
            dialerCertificateArrived = true;
        }
    }
}
