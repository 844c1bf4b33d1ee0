package dev.ratchet.storage;

import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Picks the snapshot to start from after the WAL was replayed. The WAL's last snapshot marker names
 * the snapshot the log continues from. Newer files are orphans of a sync that crashed before its
 * marker was durable and are deleted. If the named file is missing or fails its checksum it is
 * quarantined and the next older one is used, provided the WAL still holds every entry after it;
 * otherwise opening fails rather than silently losing entries.
 */
final class SnapshotChoice {

    private static final System.Logger LOG = System.getLogger(SnapshotChoice.class.getName());

    private SnapshotChoice() {}

    static Snapshot choose(SnapshotStore store, Path snapDir, WalReplay replay) throws IOException {
        long wantedIndex = replay.snapshotIndex;
        long wantedTerm = replay.snapshotTerm;
        for (SnapshotStore.SnapshotFile file : store.list()) {
            if (file.index() > wantedIndex || (file.index() == wantedIndex && file.term() != wantedTerm)) {
                LOG.log(Level.INFO, "deleting snapshot {0}: its sync did not complete", file.path());
                store.delete(file);
                continue;
            }
            Snapshot snapshot;
            try {
                snapshot = store.load(file);
            } catch (SnapshotStore.CorruptSnapshotException e) {
                LOG.log(Level.WARNING, "refusing snapshot: {0}; moved aside as .corrupt", e.getMessage());
                store.quarantine(file);
                continue;
            }
            if (file.index() == wantedIndex) {
                return snapshot;
            }
            if (canReplayFrom(replay, file.index(), file.term())) {
                LOG.log(Level.WARNING, "snapshot at index {0} unusable, falling back to {1}", wantedIndex, file.path());
                return snapshot;
            }
            throw new StorageException("snapshot at index " + wantedIndex + " in " + snapDir
                    + " is missing or corrupt, and the WAL does not reach back to the older " + file.path());
        }
        if (wantedIndex == 0) {
            return Snapshot.EMPTY;
        }
        if (canReplayFrom(replay, 0, 0)) {
            LOG.log(Level.WARNING, "snapshot at index {0} unusable, replaying the whole WAL instead", wantedIndex);
            return Snapshot.EMPTY;
        }
        throw new StorageException("no usable snapshot at index " + wantedIndex + " in " + snapDir
                + " and the WAL does not reach back far enough to replace it");
    }

    private static boolean canReplayFrom(WalReplay replay, long index, long term) {
        LogIndex log = replay.log;
        return index >= log.base() && index <= log.lastIndex() && (index == log.base() || log.term(index) == term);
    }
}
