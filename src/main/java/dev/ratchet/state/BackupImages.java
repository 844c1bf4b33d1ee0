package dev.ratchet.state;

import java.util.List;

/**
 * Backups of the replicated state: a backup is the same binary image a Raft snapshot holds
 * ({@link ClusterState#snapshot()}), so it is checked the same way when read. Stateless; thread-safe.
 */
public final class BackupImages {

    private BackupImages() {
    }

    /**
     * The backup of {@code state} as it is now: the one path every backup takes, the online one
     * ({@code GET /api/v1/admin/backup}) and the offline one ({@code ratchet recovery backup}), so that
     * what a backup holds is decided here once. Thread-safe (reads {@code state} under its lock).
     */
    public static byte[] of(ClusterState state) {
        return state.snapshot();
    }

    /**
     * The applied index the image was taken at.
     *
     * @throws MalformedDataException if {@code image} is not a valid state image
     */
    public static long appliedIndex(byte[] image) {
        return StateSnapshotCodec.decode(image).appliedIndex();
    }

    /**
     * The image a new cluster restored from {@code backup} starts with: the backup's documents and
     * artifact index at its applied index, with the new cluster's roots and only {@code self} as member
     * (the old nodes are not part of the new cluster).
     *
     * @throws MalformedDataException if {@code backup} is not a valid state image; nothing is changed
     */
    public static byte[] forNewCluster(byte[] backup, byte[] serializedRoots, Member self) {
        StateSnapshotCodec.Image image = StateSnapshotCodec.decode(backup);
        return StateSnapshotCodec.encode(Math.max(1, image.appliedIndex()), serializedRoots.clone(), List.of(self),
                image.documents(), image.artifacts());
    }
}
