package dev.ratchet.transport;

/**
 * Why a call, stream or the transport failed. Futures returned by {@link PeerTransport} complete
 * exceptionally with this exception; {@link #reason()} tells callers whether a retry makes sense.
 */
public final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The failure classes. The ordinal travels in {@link FrameType#ERROR} frames: append only. */
    public enum Reason {
        /** No answer (or no stream chunk) within the timeout. */
        TIMEOUT,
        /** Too many calls outstanding to that peer, the send queue is full, or the remote handler pool is. */
        OVERLOADED,
        /** The connection broke while the call was outstanding. */
        CONNECTION_LOST,
        /** The peer has no address in the address book. */
        UNKNOWN_PEER,
        /** The remote side has no handler for the request type. */
        NO_HANDLER,
        /** The remote handler failed; the message says how. */
        REMOTE_FAILURE,
        /** The transport was closed. */
        CLOSED,
        /** The stream was cancelled by its receiver. */
        CANCELLED,
        /** The request or response is malformed or too large. */
        BAD_REQUEST,
        /**
         * The connection is down and the latest dial failed, so the request was not sent at all: unlike
         * a timeout, the peer certainly did not act on it. (Appended last: codes are ordinals.)
         */
        UNREACHABLE;

        /** The reason for a wire code; unknown codes from a newer peer read as {@link #REMOTE_FAILURE}. */
        static Reason fromCode(int code) {
            Reason[] all = values();
            return code >= 0 && code < all.length ? all[code] : REMOTE_FAILURE;
        }
    }

    private final Reason reason;

    public TransportException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /** The failure class. */
    public Reason reason() {
        return reason;
    }
}
