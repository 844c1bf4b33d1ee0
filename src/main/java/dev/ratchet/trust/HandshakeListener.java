package dev.ratchet.trust;

/**
 * Receives the outcome of every handshake attempt; the metrics layer binds one to meters.
 *
 * <p>Contract: called from the connecting or accepting thread, possibly from many threads at once;
 * implementations must be thread-safe, must not block, and must not throw (an exception is caught
 * and ignored so counting can never break a connection).
 */
@FunctionalInterface
public interface HandshakeListener {
    /** Ignores every outcome. */
    HandshakeListener NONE = (side, rootFingerprint, result) -> { };

    /**
     * One handshake attempt ended.
     *
     * @param side our side of the connection
     * @param rootFingerprint fingerprint of the root that signed the leaf WE presented
     * @param result outcome class
     */
    void onHandshake(HandshakeSide side, String rootFingerprint, HandshakeResult result);
}
