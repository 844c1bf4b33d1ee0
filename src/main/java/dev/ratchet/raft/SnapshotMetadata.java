package dev.ratchet.raft;

import java.util.Objects;

/** Where a snapshot sits in the log: the last index and term it covers and the membership at that index. */
public record SnapshotMetadata(long index, long term, ConfState conf) {

    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ConfState.EMPTY);

    public SnapshotMetadata {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot index and term must be >= 0: " + index + ", " + term);
        }
        Objects.requireNonNull(conf, "conf");
    }
}
