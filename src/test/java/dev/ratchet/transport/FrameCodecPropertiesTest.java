package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The wire format: what is written reads back identically, and no input makes the reader misbehave. */
class FrameCodecPropertiesTest {

    private static final int MAX_FRAME = 4096;
    private final FrameCodec codec = new FrameCodec(MAX_FRAME);

    @Property(tries = 300)
    void framesRoundTripInSequence(@ForAll("frameLists") List<Frame> frames) throws IOException {
        byte[] wire = encode(frames);
        assertThat(wire).hasSize(frames.stream().mapToInt(Frame::wireSize).sum());

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        List<Frame> decoded = new ArrayList<>();
        Frame frame;
        while ((frame = codec.read(in)) != null) {
            decoded.add(frame);
        }
        assertThat(decoded).isEqualTo(frames);
    }

    /**
     * Arbitrary bytes either decode into frames that re-encode to exactly the bytes consumed, or stop with
     * a FrameFormatException; nothing else (no other exception, no oversized allocation) may happen.
     */
    @Property(tries = 1000)
    void junkInputOnlyEverFailsWithFrameFormatException(@ForAll @Size(max = 300) byte[] junk) {
        ByteArrayInputStream source = new ByteArrayInputStream(junk);
        DataInputStream in = new DataInputStream(source);
        int consumed = 0;
        try {
            Frame frame;
            while ((frame = codec.read(in)) != null) {
                byte[] reencoded = encode(List.of(frame));
                assertThat(reencoded).isEqualTo(Arrays.copyOfRange(junk, consumed, consumed + reencoded.length));
                consumed += reencoded.length;
            }
            assertThat(consumed).isEqualTo(junk.length);
        } catch (FrameFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError("only FrameFormatException may escape the reader", e);
        }
    }

    /** Junk that starts like a real frame header (right version and type) exercises the deeper checks. */
    @Property(tries = 500)
    void plausibleHeadersWithJunkBodiesAreHandled(@ForAll("frames") Frame frame,
            @ForAll @IntRange(min = -20, max = 20) int lengthSkew) throws IOException {
        byte[] wire = encode(List.of(frame));
        ByteBuffer.wrap(wire).putInt(0, wire.length - FrameCodec.LENGTH_PREFIX_BYTES + lengthSkew);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        if (lengthSkew == 0) {
            assertThat(codec.read(in)).isEqualTo(frame);
        } else if (lengthSkew > 0 || wire.length - FrameCodec.LENGTH_PREFIX_BYTES + lengthSkew < FrameCodec.HEADER_BYTES) {
            assertThatThrownBy(() -> codec.read(in)).isInstanceOf(FrameFormatException.class);
        } else {
            Frame shorter = codec.read(in);
            assertThat(shorter.payload()).hasSize(frame.payload().length + lengthSkew);
        }
    }

    @Property(tries = 200)
    void tooLargeLengthIsRejectedBeforeAllocating(
            @ForAll @IntRange(min = MAX_FRAME + 1, max = Integer.MAX_VALUE) int length) {
        byte[] header = ByteBuffer.allocate(8).putInt(length).put(FrameCodec.VERSION).array();
        assertThatThrownBy(() -> codec.read(new DataInputStream(new ByteArrayInputStream(header))))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("frame length " + length);
    }

    @Property(tries = 200)
    void truncatedFramesAreRejected(@ForAll("frames") Frame frame, @ForAll @IntRange(min = 1) int cut) throws IOException {
        byte[] wire = encode(List.of(frame));
        byte[] truncated = Arrays.copyOf(wire, 1 + cut % (wire.length - 1));
        assertThatThrownBy(() -> codec.read(new DataInputStream(new ByteArrayInputStream(truncated))))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Property(tries = 100)
    void unknownVersionIsRejected(@ForAll("frames") Frame frame, @ForAll byte version) throws IOException {
        byte[] wire = encode(List.of(frame));
        wire[FrameCodec.LENGTH_PREFIX_BYTES] = version;
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        if (version == FrameCodec.VERSION) {
            assertThat(codec.read(in)).isEqualTo(frame);
        } else {
            assertThatThrownBy(() -> codec.read(in))
                    .isInstanceOf(FrameFormatException.class)
                    .hasMessageContaining("unknown frame version");
        }
    }

    @Property(tries = 100)
    void unknownTypeIsRejected(@ForAll("frames") Frame frame, @ForAll byte typeCode) throws IOException {
        byte[] wire = encode(List.of(frame));
        wire[FrameCodec.LENGTH_PREFIX_BYTES + 1] = typeCode;
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        FrameType type = FrameType.fromWireCode(typeCode);
        if (type != null) {
            assertThat(codec.read(in).type()).isEqualTo(type);
        } else {
            assertThatThrownBy(() -> codec.read(in))
                    .isInstanceOf(FrameFormatException.class)
                    .hasMessageContaining("unknown frame type");
        }
    }

    @Property(tries = 20)
    void oversizedPayloadIsRefusedByTheWriter(@ForAll @IntRange(min = 1, max = 100) int excess) {
        Frame frame = new Frame(FrameType.MESSAGE, 0, 0, new byte[codec.maxPayloadBytes() + excess]);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThatThrownBy(() -> codec.write(frame, new DataOutputStream(sink)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sink.size()).isZero();
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Combinators.combine(
                        Arbitraries.of(FrameType.class),
                        Arbitraries.longs(),
                        Arbitraries.integers(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_FRAME - FrameCodec.HEADER_BYTES))
                .as(Frame::new);
    }

    @Provide
    Arbitrary<List<Frame>> frameLists() {
        return frames().list().ofMaxSize(8);
    }

    private byte[] encode(List<Frame> frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Frame frame : frames) {
            codec.write(frame, out);
        }
        out.flush();
        return bytes.toByteArray();
    }
}
