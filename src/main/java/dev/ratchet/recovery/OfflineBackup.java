package dev.ratchet.recovery;

import dev.ratchet.state.BackupImages;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A backup taken from a stopped node's data directory, without a quorum: the state rebuilt from the
 * node's snapshot and log up to its commit index, written in the format of
 * {@code GET /api/v1/admin/backup} (through {@link BackupImages#of}), so {@code ratchet.admin.restore-from}
 * takes either.
 *
 * <p>It holds every entry the node knew to be committed when it stopped. A follower learns the commit
 * index from the leader's next message, so it may have entries that were committed (even acknowledged
 * to a client) after the last message it received; they are not in this backup. Take the backup from
 * the node {@code recovery inspect} shows as most up to date, or from a node after
 * {@code recovery force-new-cluster} (which declares everything in its log committed).
 *
 * <p>Stateless; blocks on disk I/O.
 */
final class OfflineBackup {

    /** What was written. */
    record Result(long appliedIndex, long bytes, Path file) {
    }

    private OfflineBackup() {
    }

    /**
     * Writes the backup to {@code out} (a temporary file moved into place, so a failed run leaves no
     * partial backup under that name). Refuses to overwrite an existing file.
     *
     * @throws RecoveryException if the directory is refused ({@link StoppedDataDirectory#open}) or the
     *     file cannot be written
     */
    static Result write(Path dataDir, Path out) {
        if (Files.exists(out)) {
            throw new RecoveryException(out + " exists already: give a new file name (nothing was written)");
        }
        byte[] image;
        try (StoppedDataDirectory dir = StoppedDataDirectory.open(dataDir)) {
            long commit = Math.max(dir.storage().hardState().commit(), dir.storage().snapshotMetadata().index());
            image = BackupImages.of(StateRebuilder.rebuild(dir.storage(), commit).state());
        }
        Path absolute = out.toAbsolutePath();
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try {
            Files.write(tmp, image);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The message below is what matters.
            }
            throw new RecoveryException("cannot write the backup to " + out + ": " + e.getMessage(), e);
        }
        return new Result(BackupImages.appliedIndex(image), image.length, absolute);
    }
}
