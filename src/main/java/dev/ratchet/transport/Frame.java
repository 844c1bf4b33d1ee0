package dev.ratchet.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * One unit on a peer connection. Immutable by convention: the payload array is not copied, and neither
 * the transport nor its callers modify a payload after handing it over.
 *
 * @param type what the frame is
 * @param correlationId pairs requests with responses and stream frames with their stream; 0 for messages
 * @param code a type-specific integer (request type, error reason, stream credits), see {@link FrameType}
 * @param payload the body, possibly empty, never null
 */
public record Frame(FrameType type, long correlationId, int code, byte[] payload) {

    private static final byte[] EMPTY = new byte[0];

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** A frame with no payload. */
    public static Frame control(FrameType type, long correlationId, int code) {
        return new Frame(type, correlationId, code, EMPTY);
    }

    /** Bytes this frame takes on the wire, length prefix included. */
    public int wireSize() {
        return FrameCodec.LENGTH_PREFIX_BYTES + FrameCodec.HEADER_BYTES + payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that
                && type == that.type
                && correlationId == that.correlationId
                && code == that.code
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, correlationId, code, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Frame[" + type + ", id=" + correlationId + ", code=" + code + ", " + payload.length + " bytes]";
    }
}
