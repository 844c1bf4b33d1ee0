package dev.ratchet.transport;

/**
 * The kinds of frame on a peer connection, with their wire codes. What {@link Frame#code()} means
 * depends on the type and is documented on each constant.
 */
public enum FrameType {
    /** Dialer to acceptor: identifies the dialing node on unauthenticated (test) connections; code 0. */
    HELLO(1),
    /** A one-way message; code 0; correlation id 0. */
    MESSAGE(2),
    /** A request expecting one {@link #RESPONSE} or {@link #ERROR}; code = request type. */
    REQUEST(3),
    /** The successful answer to a {@link #REQUEST}; code 0. */
    RESPONSE(4),
    /** A failed request or stream; code = {@link TransportException.Reason} ordinal; payload = UTF-8 text. */
    ERROR(5),
    /** A request answered by {@link #STREAM_CHUNK}s and one {@link #STREAM_END}; code = request type. */
    STREAM_REQUEST(6),
    /** One chunk of a streamed response; code 0. */
    STREAM_CHUNK(7),
    /** The end of a streamed response; code 0; empty payload. */
    STREAM_END(8),
    /** Stream receiver to sender: permission to send more chunks; code = number of chunks granted. */
    STREAM_CREDIT(9),
    /** Stream receiver to sender: stop sending; code 0. */
    STREAM_CANCEL(10);

    private static final FrameType[] BY_CODE = new FrameType[11];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.wireCode] = type;
        }
    }

    private final int wireCode;

    FrameType(int wireCode) {
        this.wireCode = wireCode;
    }

    /** The byte that stands for this type on the wire. */
    public byte wireCode() {
        return (byte) wireCode;
    }

    /** The type for a wire byte, or {@code null} when the byte names no known type. */
    public static FrameType fromWireCode(byte code) {
        int unsigned = code & 0xff;
        return unsigned < BY_CODE.length ? BY_CODE[unsigned] : null;
    }
}
