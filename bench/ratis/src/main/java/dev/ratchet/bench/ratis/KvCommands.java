package dev.ratchet.bench.ratis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The wire format of the benchmark's KV commands, shared by the driver and the state machine.
 *
 * <p>A PUT is {@code 'P' | keyLength (u16) | key (UTF-8) | value}; a GET is {@code 'G' | key (UTF-8)}.
 * Stateless and thread-safe. Malformed input gets an {@link IllegalArgumentException} naming the fault.
 */
public final class KvCommands {

    /** Longest key accepted, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Largest value accepted: far above the benchmark's sizes, far below Ratis' 64 MB message limit. */
    public static final int MAX_VALUE_BYTES = 1 << 20;

    static final byte PUT = 'P';
    static final byte GET = 'G';

    private KvCommands() {
    }

    /** A PUT of {@code value} under {@code key}. */
    public static Message put(String key, byte[] value) {
        byte[] k = keyBytes(key);
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value of " + value.length + " bytes exceeds " + MAX_VALUE_BYTES);
        }
        ByteBuffer buf = ByteBuffer.allocate(3 + k.length + value.length);
        buf.put(PUT).putShort((short) k.length).put(k).put(value);
        return Message.valueOf(ByteString.copyFrom(buf.array()));
    }

    /** A GET of {@code key}. */
    public static Message get(String key) {
        byte[] k = keyBytes(key);
        byte[] out = new byte[1 + k.length];
        out[0] = GET;
        System.arraycopy(k, 0, out, 1, k.length);
        return Message.valueOf(ByteString.copyFrom(out));
    }

    /** A decoded PUT: the key and the value bytes. */
    record Put(String key, ByteString value) {
    }

    static Put decodePut(ByteString data) {
        if (data.size() < 3 || data.byteAt(0) != PUT) {
            throw new IllegalArgumentException("not a PUT command (" + data.size() + " bytes)");
        }
        int keyLength = ((data.byteAt(1) & 0xff) << 8) | (data.byteAt(2) & 0xff);
        if (keyLength == 0 || keyLength > MAX_KEY_BYTES || 3 + keyLength > data.size()) {
            throw new IllegalArgumentException("PUT with a bad key length " + keyLength + " in " + data.size() + " bytes");
        }
        String key = data.substring(3, 3 + keyLength).toStringUtf8();
        return new Put(key, data.substring(3 + keyLength));
    }

    static String decodeGet(ByteString data) {
        if (data.size() < 2 || data.size() > 1 + MAX_KEY_BYTES || data.byteAt(0) != GET) {
            throw new IllegalArgumentException("not a GET command (" + data.size() + " bytes)");
        }
        return data.substring(1).toStringUtf8();
    }

    private static byte[] keyBytes(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length == 0 || k.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must have 1.." + MAX_KEY_BYTES + " UTF-8 bytes, got " + k.length);
        }
        return k;
    }
}
