package dev.ratchet.watch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing of watch events ({@code id:}, {@code event:}, one {@code data:} line, blank
 * line), done here rather than by the web layer so that one change batch is encoded once and the same
 * bytes go to every watcher of its prefix, and so that a watcher's turn reaches its socket in one write
 * however many events it carries. Stateless and thread-safe.
 */
final class SseFrames {

    private SseFrames() {
    }

    /**
     * One event.
     *
     * @param id the SSE id (a revision), or null for an event that must not move the client's resume point
     * @param json single-line JSON (Jackson's compact output never contains a line break)
     */
    static byte[] frame(String id, String event, String json) {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE data line cannot hold a line break");
        }
        StringBuilder b = new StringBuilder(json.length() + 40);
        if (id != null) {
            b.append("id:").append(id).append('\n');
        }
        b.append("event:").append(event).append('\n').append("data:").append(json).append("\n\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Frames of one turn, concatenated in order. Not thread-safe: one per turn. */
    static final class Turn {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void add(byte[] frame) {
            out.writeBytes(frame);
        }

        /** True until a frame is added (a frame is never empty). */
        boolean isEmpty() {
            return out.size() == 0;
        }

        /** Bytes so far. */
        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
