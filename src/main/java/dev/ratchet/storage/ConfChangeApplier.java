package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;

/**
 * Folds one persisted {@code CONF_CHANGE} entry into a membership. Storage knows nothing about how
 * conf changes are encoded; the driver supplies the decoder so that {@link FileRaftStorage#confState()}
 * can report the membership as of the snapshot plus every conf change after it.
 *
 * <p>Contract: a pure function, called on the storage's thread; it must not call back into storage.
 * An exception (for an entry it cannot decode) propagates to the caller of {@code confState()} wrapped
 * in a {@link dev.ratchet.raft.StorageException}.
 */
@FunctionalInterface
public interface ConfChangeApplier {

    /** The membership after applying {@code confChange} to {@code base}. */
    ConfState apply(ConfState base, Entry confChange);
}
