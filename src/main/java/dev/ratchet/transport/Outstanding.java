package dev.ratchet.transport;

/** A call or stream awaiting frames from a peer, keyed by correlation id in its {@link PeerLink}. */
interface Outstanding {

    /** Completes this exchange exceptionally; idempotent. */
    void fail(TransportException failure);
}
