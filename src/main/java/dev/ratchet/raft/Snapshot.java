package dev.ratchet.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A state machine image at {@link SnapshotMetadata#index()}. The data is opaque to Raft; the array is
 * owned by the snapshot once constructed and must not be mutated.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {

    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

    public Snapshot {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && metadata.equals(s.metadata) && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot[" + metadata + ", " + data.length + "B]";
    }
}
