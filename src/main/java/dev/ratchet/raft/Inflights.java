package dev.ratchet.raft;

import java.util.ArrayDeque;

/**
 * The AppendEntries a leader has sent to one follower and not yet seen acknowledged, bounded both in
 * count and in bytes so that a slow follower cannot make the leader buffer without limit.
 */
final class Inflights {

    private final int maxCount;
    private final long maxBytes;
    private final ArrayDeque<long[]> sent = new ArrayDeque<>();
    private long bytes;

    Inflights(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    void add(long lastIndex, long messageBytes) {
        if (full()) {
            throw new IllegalStateException("inflights full");
        }
        sent.addLast(new long[] {lastIndex, messageBytes});
        bytes += messageBytes;
    }

    /** Frees every message whose last index is at or below {@code index}. */
    void freeTo(long index) {
        while (!sent.isEmpty() && sent.peekFirst()[0] <= index) {
            bytes -= sent.pollFirst()[1];
        }
    }

    /** Frees the oldest message, so a leader whose acknowledgements were lost probes again. */
    void freeFirst() {
        if (!sent.isEmpty()) {
            bytes -= sent.pollFirst()[1];
        }
    }

    boolean full() {
        return sent.size() >= maxCount || bytes >= maxBytes;
    }

    int count() {
        return sent.size();
    }

    void reset() {
        sent.clear();
        bytes = 0;
    }
}
