package dev.ratchet.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian, length-prefixed encoding read back by {@link BinaryReader}. Three kinds: a growing buffer
 * for small records (commands, results); a counter that writes nothing and only adds up the bytes; and a
 * buffer of exactly the counted size. A state image is encoded with the last two, one pass after the
 * other, so that encoding needs one image's worth of heap: a growing buffer needed up to three (the old
 * buffer, the doubled one, and the trimmed copy), and ran a 256 MB node with 52 MB of documents out of heap.
 *
 * <p>Not thread-safe; one writer per encoding.
 */
final class BinaryWriter {

    private byte[] buf;
    private final boolean growable;
    private long position;

    private BinaryWriter(byte[] buf, boolean growable) {
        this.buf = buf;
        this.growable = growable;
    }

    /** A writer whose buffer grows as needed, starting at {@code sizeHint} bytes. */
    BinaryWriter(int sizeHint) {
        this(new byte[Math.max(16, sizeHint)], true);
    }

    /** A writer that stores nothing and counts the bytes it would have written ({@link #size()}). */
    static BinaryWriter counting() {
        return new BinaryWriter(null, false);
    }

    /**
     * A writer into a buffer of exactly {@code size} bytes, as a {@link #counting()} pass over the same
     * writes reported; {@link #toByteArray()} throws if the writes did not fill it exactly.
     */
    static BinaryWriter exactly(long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an encoding of " + size + " bytes does not fit in one array");
        }
        return new BinaryWriter(new byte[(int) size], false);
    }

    /** Bytes written (or counted) so far. */
    long size() {
        return position;
    }

    BinaryWriter u8(int v) {
        if (buf != null) {
            ensure(1);
            buf[(int) position] = (byte) v;
        }
        position++;
        return this;
    }

    BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BinaryWriter i32(int v) {
        if (buf != null) {
            ensure(4);
            int p = (int) position;
            buf[p] = (byte) (v >>> 24);
            buf[p + 1] = (byte) (v >>> 16);
            buf[p + 2] = (byte) (v >>> 8);
            buf[p + 3] = (byte) v;
        }
        position += 4;
        return this;
    }

    BinaryWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    BinaryWriter bytes(byte[] b) {
        i32(b.length);
        if (buf != null) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, (int) position, b.length);
        }
        position += b.length;
        return this;
    }

    BinaryWriter string(String s) {
        if (buf == null) {
            // Counting: the UTF-8 length without encoding the string.
            i32(0);
            position += utf8Length(s);
            return this;
        }
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    BinaryWriter optionalString(String s) {
        bool(s != null);
        return s == null ? this : string(s);
    }

    /** The bytes written: a copy for a growing writer, the buffer itself for an exact one. */
    byte[] toByteArray() {
        if (buf == null) {
            throw new IllegalStateException("a counting writer has no bytes");
        }
        if (growable) {
            return Arrays.copyOf(buf, (int) position);
        }
        if (position != buf.length) {
            throw new IllegalStateException("the encoding wrote " + position + " bytes, " + buf.length + " were counted");
        }
        return buf;
    }

    private void ensure(int more) {
        long needed = position + more;
        if (needed <= buf.length) {
            return;
        }
        if (!growable) {
            throw new IllegalStateException("the encoding writes more than the " + buf.length + " bytes counted");
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an encoding of " + needed + " bytes does not fit in one array");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * buf.length)));
    }

    /** The length of {@code String.getBytes(UTF_8)}, which writes a lone surrogate as one '?' byte. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
