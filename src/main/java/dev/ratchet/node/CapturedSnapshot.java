package dev.ratchet.node;

import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.util.function.Supplier;

/**
 * A local snapshot captured on the Raft loop and not yet encoded (issue 14): its metadata, and the applied
 * state frozen at that index, which {@link #encode} turns into the snapshot's bytes on whatever thread calls
 * it. Immutable if the state is; the state must not change after the capture.
 *
 * @param state the frozen state's encoder; called once per {@link #encode}, on the caller's thread
 */
public record CapturedSnapshot(SnapshotMetadata metadata, Supplier<byte[]> state) {

    /** The snapshot with its encoded state. Blocks for the encoding's CPU; throws whatever the encoder throws. */
    public Snapshot encode() {
        return new Snapshot(metadata, state.get());
    }
}
