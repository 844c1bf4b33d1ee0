package dev.ratchet.recovery;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.RaftStorage;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.MalformedDataException;
import java.util.List;

/**
 * Rebuilds the replicated state a node held, from its snapshot and log, the way the Raft driver builds
 * it at start: the snapshot's image, then every entry after it up to an index, commands applied to the
 * state and other entries only advancing the applied index. Stateless; thread-safe.
 */
final class StateRebuilder {

    /** Bytes of entries read from the log at a time. */
    private static final long BATCH_BYTES = 8L << 20;

    /** The state and the Raft membership as of the last entry applied. */
    record Rebuilt(ClusterState state, ConfState conf) {
    }

    private StateRebuilder() {
    }

    /**
     * @param throughIndex the last entry to apply; at least the snapshot index, at most the last index
     * @throws RecoveryException if a snapshot or entry does not decode (the directory is then corrupt)
     */
    static Rebuilt rebuild(RaftStorage storage, long throughIndex) {
        Snapshot snapshot;
        try {
            snapshot = storage.snapshot();
        } catch (StorageException e) {
            throw new RecoveryException("the data directory's snapshot cannot be read: " + e.getMessage(), e);
        }
        long from = snapshot.metadata().index();
        if (throughIndex < from || throughIndex > storage.lastIndex()) {
            throw new IllegalArgumentException("index " + throughIndex + " outside [" + from + ", "
                    + storage.lastIndex() + "]");
        }
        ClusterState state = new ClusterState();
        ConfState conf = snapshot.metadata().conf();
        try {
            if (!snapshot.isEmpty()) {
                state.restore(snapshot.data());
            }
            long next = from + 1;
            while (next <= throughIndex) {
                List<Entry> batch = storage.entries(next, throughIndex + 1, BATCH_BYTES);
                for (Entry e : batch) {
                    if (e.type() == EntryType.COMMAND) {
                        state.apply(e.index(), CommandCodec.decode(e.data()).command());
                    } else {
                        if (e.type() == EntryType.CONF_CHANGE) {
                            conf = ConfChange.applyEntry(conf, e.data());
                        }
                        state.advanceTo(e.index());
                    }
                }
                next += batch.size();
            }
        } catch (MalformedDataException e) {
            throw new RecoveryException("the data directory holds an entry or snapshot that does not decode: "
                    + e.getMessage(), e);
        }
        return new Rebuilt(state, conf);
    }
}
