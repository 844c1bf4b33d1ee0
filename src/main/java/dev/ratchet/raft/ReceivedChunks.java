package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of a snapshot a follower has received so far, kept as they arrived and joined once, when the
 * last one is in.
 *
 * <p>Why not a {@code ByteArrayOutputStream}: it doubles its buffer as it grows (copying, and holding the old
 * and the new buffer at once), ends up to twice the snapshot's size, and copies everything again to hand
 * out an exact array. A follower that installs a snapshot still holds its old state, so near the document
 * quota those extra copies were what its heap could not hold. Here the chunks take what they hold, and
 * {@link #join} copies them into one exact array: the peak is twice the snapshot's size (the chunks and the
 * array, while it is filled) instead of about three times. Each chunk is released as soon as it is copied,
 * so the collector may take them back during the copy. One copy only would need the snapshot's size before
 * its first chunk, which the InstallSnapshot message does not carry.
 *
 * <p>Not thread-safe: used by the Raft core only, on one thread.
 */
final class ReceivedChunks {

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    /** Bytes received so far (the offset the next chunk must start at). */
    long size() {
        return size;
    }

    /** Keeps {@code chunk} (not copied: the caller must not change it later). */
    void add(byte[] chunk) {
        chunks.add(chunk);
        size += chunk.length;
    }

    /**
     * All bytes received, in order, in one array of exactly {@link #size()} bytes; afterwards this holds
     * nothing. Throws {@link IllegalStateException} if they do not fit one array (RaftConfig's bound on
     * maxSnapshotBytes keeps a transfer from getting there).
     */
    byte[] join() {
        if (size > RaftConfig.MAX_SNAPSHOT_BYTES) {
            throw new IllegalStateException("a snapshot of " + size + " bytes does not fit one array");
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
            chunks.set(i, null); // released as soon as it is copied
        }
        chunks.clear();
        size = 0;
        return all;
    }
}
