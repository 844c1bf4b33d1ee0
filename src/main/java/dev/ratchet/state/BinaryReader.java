package dev.ratchet.state;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the big-endian encoding written by {@link BinaryWriter} from untrusted bytes. Every length is
 * checked against both a stated limit and the bytes actually left, so a corrupt or hostile input fails
 * with a {@link MalformedDataException} instead of an out-of-memory error or a silent misread.
 */
final class BinaryReader {

    private final ByteBuffer in;

    BinaryReader(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    int u8(String what) {
        need(1, what);
        return in.get() & 0xff;
    }

    boolean bool(String what) {
        int b = u8(what);
        if (b > 1) {
            throw new MalformedDataException(what + ": boolean byte " + b);
        }
        return b == 1;
    }

    int i32(String what) {
        need(4, what);
        return in.getInt();
    }

    long i64(String what) {
        need(8, what);
        return in.getLong();
    }

    long nonNegative(String what) {
        long v = i64(what);
        if (v < 0) {
            throw new MalformedDataException(what + " is negative: " + v);
        }
        return v;
    }

    int count(String what, int max) {
        int n = i32(what);
        if (n < 0 || n > max) {
            throw new MalformedDataException(what + " count " + n + " outside 0.." + max);
        }
        return n;
    }

    byte[] bytes(String what, int maxLength) {
        int n = count(what + " length", maxLength);
        need(n, what);
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    String string(String what, int maxBytes) {
        byte[] raw = bytes(what, maxBytes);
        if (isAscii(raw)) {
            // Keys and etags are ASCII as a rule: a Latin-1 decode of ASCII is the same string, and it
            // skips a strict decoder per string (a 1M-key snapshot decodes two million of them).
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDataException(what + " is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** A string that may be absent (encoded with a presence flag). */
    String optionalString(String what, int maxBytes) {
        return bool(what + " present") ? string(what, maxBytes) : null;
    }

    /** True while bytes are left to read. */
    boolean hasRemaining() {
        return in.hasRemaining();
    }

    void requireEnd(String what) {
        if (in.hasRemaining()) {
            throw new MalformedDataException(what + ": " + in.remaining() + " unexpected trailing bytes");
        }
    }

    private void need(int n, String what) {
        if (in.remaining() < n) {
            throw new MalformedDataException(what + ": truncated (need " + n + " bytes, have " + in.remaining() + ")");
        }
    }
}
