package dev.ratchet.node;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.state.BackupImages;
import dev.ratchet.state.Member;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bootstraps a new single-voter cluster whose first state is a backup: the storage starts with a
 * snapshot at the backup's applied index (so revisions keep increasing) holding the backup's documents
 * and artifact index, the new cluster's roots, and this node as the only member and voter.
 */
final class BackupRestore {

    private static final Logger log = LoggerFactory.getLogger(BackupRestore.class);

    private BackupRestore() {
    }

    /**
     * @throws dev.ratchet.state.MalformedDataException if the backup does not decode; storage is untouched
     * @throws IllegalArgumentException if the storage is not empty
     */
    static void bootstrapFrom(DurableStorage storage, byte[] backup, byte[] serializedRoots, Member self, String selfRaftId) {
        if (storage.lastIndex() != 0 || storage.hardState().term() != 0) {
            throw new IllegalArgumentException("restore needs empty storage, last index is " + storage.lastIndex());
        }
        byte[] image = BackupImages.forNewCluster(backup, serializedRoots, self);
        long index = BackupImages.appliedIndex(image);
        ConfState conf = new ConfState(Set.of(selfRaftId), Set.of());
        storage.installSnapshot(new Snapshot(new SnapshotMetadata(index, 1, conf), image));
        storage.setHardState(new HardState(1, null, index));
        storage.sync();
        log.info("bootstrapped a new cluster from a backup at index {} with {} as its first voter", index, selfRaftId);
    }
}
