package dev.ratchet.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of a {@link PeerTransport}. Use {@link #defaults()} and the {@code with...} methods.
 *
 * @param maxFrameBytes largest frame, length prefix excluded (payload limit is 14 bytes less)
 * @param sendQueueMaxFrames frames queued per peer before {@link PeerTransport#send} drops
 * @param sendQueueMaxBytes bytes queued per peer before {@link PeerTransport#send} drops
 * @param writeBatchMaxBytes most bytes a writer takes from its queue for one write and flush (at least
 *     one frame is always taken)
 * @param maxOutstandingCallsPerPeer calls and streams awaiting an answer per peer
 * @param handlerThreads threads in each of the three pools: request handlers, stream handlers, chunk consumers
 * @param handlerQueueCapacity tasks waiting in each pool before requests are refused
 * @param maxInboundConnections accepted connections open at once; more are closed on arrival
 * @param dialTimeout bound for connect plus handshake
 * @param reconnectBackoffMin first delay after a failed dial or a lost connection
 * @param reconnectBackoffMax largest delay between dials
 * @param streamCreditWindow chunks a stream sender may have in flight without further credit
 * @param streamIdleTimeout how long a stream may go without progress (a chunk, or credit) before failing
 * @param writeStallTimeout how long one batch write may block (peer not reading, or a dead host) before
 *     the connection is closed and redialled
 */
public record TransportConfig(
        int maxFrameBytes,
        int sendQueueMaxFrames,
        long sendQueueMaxBytes,
        int writeBatchMaxBytes,
        int maxOutstandingCallsPerPeer,
        int handlerThreads,
        int handlerQueueCapacity,
        int maxInboundConnections,
        Duration dialTimeout,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        int streamCreditWindow,
        Duration streamIdleTimeout,
        Duration writeStallTimeout) {

    public TransportConfig {
        requireAtLeast("maxFrameBytes", maxFrameBytes, FrameCodec.HEADER_BYTES + 1);
        requireAtLeast("sendQueueMaxFrames", sendQueueMaxFrames, 1);
        requireAtLeast("sendQueueMaxBytes", sendQueueMaxBytes, 1);
        requireAtLeast("writeBatchMaxBytes", writeBatchMaxBytes, 1);
        requireAtLeast("maxOutstandingCallsPerPeer", maxOutstandingCallsPerPeer, 1);
        requireAtLeast("handlerThreads", handlerThreads, 1);
        requireAtLeast("handlerQueueCapacity", handlerQueueCapacity, 1);
        requireAtLeast("maxInboundConnections", maxInboundConnections, 1);
        requirePositive("dialTimeout", dialTimeout);
        requirePositive("reconnectBackoffMin", reconnectBackoffMin);
        requirePositive("reconnectBackoffMax", reconnectBackoffMax);
        if (reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("reconnectBackoffMax " + reconnectBackoffMax
                    + " is below reconnectBackoffMin " + reconnectBackoffMin);
        }
        requireAtLeast("streamCreditWindow", streamCreditWindow, 1);
        requirePositive("streamIdleTimeout", streamIdleTimeout);
        requirePositive("writeStallTimeout", writeStallTimeout);
    }

    /**
     * 16 MiB frames, 10,000 frames / 64 MiB queued per peer, 1 MiB write batches, 256 calls per peer,
     * 4 handler threads, 50 ms .. 5 s backoff, 8-chunk stream window, 30 s stream idle, 15 s write stall.
     */
    public static TransportConfig defaults() {
        return new TransportConfig(FrameCodec.DEFAULT_MAX_FRAME_BYTES, 10_000, 64L * 1024 * 1024, 1024 * 1024,
                256, 4, 1024, 64, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(5),
                8, Duration.ofSeconds(30), Duration.ofSeconds(15));
    }

    /** A copy with another frame size limit. */
    public TransportConfig withMaxFrameBytes(int value) {
        return new TransportConfig(value, sendQueueMaxFrames, sendQueueMaxBytes, writeBatchMaxBytes,
                maxOutstandingCallsPerPeer, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, reconnectBackoffMin, reconnectBackoffMax, streamCreditWindow, streamIdleTimeout, writeStallTimeout);
    }

    /** A copy with other per-peer send queue limits. */
    public TransportConfig withSendQueue(int maxFrames, long maxBytes) {
        return new TransportConfig(maxFrameBytes, maxFrames, maxBytes, writeBatchMaxBytes,
                maxOutstandingCallsPerPeer, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, reconnectBackoffMin, reconnectBackoffMax, streamCreditWindow, streamIdleTimeout, writeStallTimeout);
    }

    /** A copy with another limit on outstanding calls and streams per peer. */
    public TransportConfig withMaxOutstandingCallsPerPeer(int value) {
        return new TransportConfig(maxFrameBytes, sendQueueMaxFrames, sendQueueMaxBytes, writeBatchMaxBytes,
                value, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, reconnectBackoffMin, reconnectBackoffMax, streamCreditWindow, streamIdleTimeout, writeStallTimeout);
    }

    /** A copy with other reconnect delay bounds. */
    public TransportConfig withReconnectBackoff(Duration min, Duration max) {
        return new TransportConfig(maxFrameBytes, sendQueueMaxFrames, sendQueueMaxBytes, writeBatchMaxBytes,
                maxOutstandingCallsPerPeer, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, min, max, streamCreditWindow, streamIdleTimeout, writeStallTimeout);
    }

    /** A copy with another stream credit window and idle timeout. */
    public TransportConfig withStream(int creditWindow, Duration idleTimeout) {
        return new TransportConfig(maxFrameBytes, sendQueueMaxFrames, sendQueueMaxBytes, writeBatchMaxBytes,
                maxOutstandingCallsPerPeer, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, reconnectBackoffMin, reconnectBackoffMax, creditWindow, idleTimeout, writeStallTimeout);
    }

    /** A copy with another write stall timeout. */
    public TransportConfig withWriteStallTimeout(Duration value) {
        return new TransportConfig(maxFrameBytes, sendQueueMaxFrames, sendQueueMaxBytes, writeBatchMaxBytes,
                maxOutstandingCallsPerPeer, handlerThreads, handlerQueueCapacity, maxInboundConnections,
                dialTimeout, reconnectBackoffMin, reconnectBackoffMax, streamCreditWindow, streamIdleTimeout, value);
    }

    private static void requireAtLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
