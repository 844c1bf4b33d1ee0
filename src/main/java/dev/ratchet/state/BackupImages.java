package dev.ratchet.state;

import java.util.List;

/**
 * Backups of the replicated state: the binary format of a Raft snapshot ({@link ClusterState#snapshot()}),
 * so it is checked the same way when read, but <em>without the trust roots</em>: the roots bundle holds
 * every root's PKCS#8 private key, and whoever holds one can mint a peer certificate. A restore seeds new
 * roots anyway (see {@link #forNewCluster}). Documents, the artifact index, the member list and the API
 * token records (only the SHA-256 of each secret) are kept. Every backup, online or offline, is built by
 * {@link #of(ClusterState)} or {@link #fromSnapshot(byte[])}. Stateless; thread-safe.
 */
public final class BackupImages {

    private BackupImages() {
    }

    /** The roots bundle of every backup: none. */
    private static final byte[] NO_ROOTS = new byte[0];

    /**
     * The backup image of {@code state} as it is now, with no trust roots.
     *
     * <p>Takes the state's read lock only to capture it ({@link ClusterState#capture}); encodes on the calling
     * thread.
     */
    public static byte[] of(ClusterState state) {
        return state.backupImage(NO_ROOTS);
    }

    /**
     * The backup image of a Raft snapshot's state image (for a backup taken from a data directory
     * offline): the same contents with the roots dropped.
     *
     * @throws MalformedDataException if {@code snapshotImage} is not a valid state image
     */
    public static byte[] fromSnapshot(byte[] snapshotImage) {
        StateSnapshotCodec.Image image = StateSnapshotCodec.decode(snapshotImage);
        return StateSnapshotCodec.encode(image.appliedIndex(), NO_ROOTS, image.members(), image.documents(),
                image.artifacts(), image.apiTokens(), image.leases(), image.clusterId());
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
     * The image a new cluster restored from {@code backup} starts with: the backup's documents, artifact
     * index and API tokens (so clients keep working) at its applied index, with the new cluster's roots and only {@code self} as member
     * (the old nodes are not part of the new cluster), and no cluster id: its first leader names the new cluster.
     *
     * @throws MalformedDataException if {@code backup} is not a valid state image; nothing is changed
     */
    public static byte[] forNewCluster(byte[] backup, byte[] serializedRoots, Member self) {
        StateSnapshotCodec.Image image = StateSnapshotCodec.decode(backup);
        return StateSnapshotCodec.encode(Math.max(1, image.appliedIndex()), serializedRoots.clone(), List.of(self),
                image.documents(), image.artifacts(), image.apiTokens(), List.of(), "");
    }
}
