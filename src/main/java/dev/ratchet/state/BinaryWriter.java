package dev.ratchet.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian, length-prefixed encoding read back by {@link BinaryReader}. */
final class BinaryWriter {

    private final ByteArrayOutputStream out;

    BinaryWriter(int sizeHint) {
        this.out = new ByteArrayOutputStream(Math.max(16, sizeHint));
    }

    BinaryWriter u8(int v) {
        out.write(v);
        return this;
    }

    BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BinaryWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    BinaryWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    BinaryWriter bytes(byte[] b) {
        i32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    BinaryWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    BinaryWriter optionalString(String s) {
        bool(s != null);
        return s == null ? this : string(s);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
