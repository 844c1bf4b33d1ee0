package dev.ratchet.raft;

/** The requested index was folded into a snapshot; the caller must fall back to the snapshot. */
public class LogCompactedException extends RuntimeException {

    public LogCompactedException(long index, long snapshotIndex) {
        super("index " + index + " is compacted (snapshot at " + snapshotIndex + ")");
    }
}
