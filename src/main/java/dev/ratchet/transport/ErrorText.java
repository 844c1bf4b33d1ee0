package dev.ratchet.transport;

import java.nio.charset.StandardCharsets;

/** The UTF-8 message carried by {@link FrameType#ERROR} frames, bounded so errors stay small. */
final class ErrorText {

    static final int MAX_CHARS = 1000;

    private ErrorText() {
    }

    static byte[] encode(String message) {
        String text = message == null ? "" : message;
        if (text.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS) + "...";
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String decode(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
    }
}
