package dev.ratchet.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads and writes {@link Frame}s. Wire layout, big-endian:
 *
 * <pre>
 *   int32  length         bytes after this field: 14 + payload length
 *   byte   version        {@link #VERSION}
 *   byte   type           {@link FrameType#wireCode()}
 *   int64  correlationId
 *   int32  code
 *   byte[] payload
 * </pre>
 *
 * <p>The length is checked against the maximum before anything is allocated, so a hostile or corrupt
 * length cannot make the reader allocate more than {@code maxFrameBytes}. Thread-safety: the codec is
 * immutable and may be shared; the streams passed to it belong to one thread at a time.
 */
public final class FrameCodec {

    /** The only protocol version this build speaks. */
    public static final byte VERSION = 1;
    /** Size of the length field. */
    public static final int LENGTH_PREFIX_BYTES = 4;
    /** Size of the header after the length field: version, type, correlation id, code. */
    public static final int HEADER_BYTES = 1 + 1 + 8 + 4;
    /** Default largest frame, length prefix excluded. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final int maxFrameBytes;

    /** A codec that rejects frames whose length field exceeds {@code maxFrameBytes}. */
    public FrameCodec(int maxFrameBytes) {
        if (maxFrameBytes < HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least " + HEADER_BYTES + ": " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest accepted value of the length field. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The largest payload a frame may carry under this codec. */
    public int maxPayloadBytes() {
        return maxFrameBytes - HEADER_BYTES;
    }

    /**
     * Writes one frame without flushing.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link #maxPayloadBytes()}; nothing
     *     has been written in that case
     */
    public void write(Frame frame, DataOutputStream out) throws IOException {
        int payloadLength = frame.payload().length;
        if (payloadLength > maxPayloadBytes()) {
            throw new IllegalArgumentException(
                    "payload of " + payloadLength + " bytes exceeds the limit of " + maxPayloadBytes());
        }
        out.writeInt(HEADER_BYTES + payloadLength);
        out.writeByte(VERSION);
        out.writeByte(frame.type().wireCode());
        out.writeLong(frame.correlationId());
        out.writeInt(frame.code());
        out.write(frame.payload());
    }

    /**
     * Reads one frame, blocking until it is complete.
     *
     * @return the frame, or {@code null} when the stream ended cleanly at a frame boundary
     * @throws FrameFormatException if the bytes are not a valid frame (the stream is then unusable)
     * @throws IOException if reading fails
     */
    public Frame read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        try {
            int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
            if (length < HEADER_BYTES || length > maxFrameBytes) {
                throw new FrameFormatException(
                        "frame length " + length + " outside [" + HEADER_BYTES + ", " + maxFrameBytes + "]");
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw new FrameFormatException("unknown frame version " + (version & 0xff));
            }
            byte typeCode = in.readByte();
            FrameType type = FrameType.fromWireCode(typeCode);
            if (type == null) {
                throw new FrameFormatException("unknown frame type " + (typeCode & 0xff));
            }
            long correlationId = in.readLong();
            int code = in.readInt();
            byte[] payload = new byte[length - HEADER_BYTES];
            in.readFully(payload);
            return new Frame(type, correlationId, code, payload);
        } catch (EOFException e) {
            throw new FrameFormatException("truncated frame: stream ended inside a frame");
        }
    }
}
