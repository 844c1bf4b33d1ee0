package dev.ratchet.trust;

/** Outcome class of one TLS handshake attempt, coarse enough to be a metric tag. */
public enum HandshakeResult {
    /** Both sides authenticated each other. */
    OK,
    /** The peer's leaf was signed by none of our roots. */
    UNKNOWN_ROOT,
    /** The peer's leaf or its root had expired by our clock. */
    EXPIRED,
    /** The peer's leaf or its root was not yet valid by our clock. */
    NOT_YET_VALID,
    /** The peer's leaf names another node than expected, or a node that is not a member. */
    WRONG_IDENTITY,
    /** The peer's certificate chain was malformed (no node SAN, a CA as leaf, too long). */
    BAD_CERTIFICATE,
    /** The peer aborted the handshake, normally because it did not trust our leaf. */
    REJECTED_BY_PEER,
    /** The peer did not answer in time. */
    TIMEOUT,
    /** We could not mint a leaf from the chosen root at our clock's now. */
    NO_LEAF,
    /** Any other I/O failure during the handshake. */
    IO_ERROR
}
