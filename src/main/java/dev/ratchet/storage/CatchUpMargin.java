package dev.ratchet.storage;

/**
 * Where compaction cuts the log: through the snapshot index less a catch-up margin of at most
 * {@link StorageOptions#catchUpEntries()} entries and {@link StorageOptions#catchUpBytes()} bytes at and
 * below it (etcd's {@code SnapshotCatchUpEntries}). A follower a little behind the leader's snapshot is
 * then sent entries from the log instead of the whole snapshot, which on a busy cluster could take longer
 * than the snapshot interval and start over forever.
 *
 * <p>The cut is a function of the snapshot index and the entries alone, never of when it is computed, so
 * a reopened storage cuts where the running one did.
 */
final class CatchUpMargin {

    private CatchUpMargin() {}

    /** The index through which entries may be dropped for a snapshot at {@code snapshotIndex}. */
    static long dropThrough(LogIndex log, long snapshotIndex, StorageOptions options) {
        if (!log.contains(snapshotIndex)) {
            return snapshotIndex;
        }
        long floor = Math.max(log.base(), snapshotIndex - options.catchUpEntries());
        long cut = snapshotIndex;
        long bytes = 0;
        while (cut > floor) {
            bytes += log.sizeBytes(cut);
            if (bytes > options.catchUpBytes()) {
                break;
            }
            cut--;
        }
        return cut;
    }
}
