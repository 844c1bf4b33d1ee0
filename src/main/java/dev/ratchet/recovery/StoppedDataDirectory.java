package dev.ratchet.recovery;

import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.StorageException;
import dev.ratchet.storage.FileRaftStorage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory of a node that is not running ({@code ratchet.data-dir}), opened for offline work.
 *
 * <p>Opening refuses, with a message naming the directory and what to do: a directory that does not
 * exist, holds no Raft log, or whose log is empty (never ran, or wiped); and one whose log is locked by
 * a running node. Opening does what a node start does to the log (a torn tail left by a crash is cut
 * off the same way), and never creates a log where there was none.
 *
 * <p>Not thread-safe; one command uses one instance and closes it.
 */
final class StoppedDataDirectory implements AutoCloseable {

    private final Path dataDir;
    private final FileRaftStorage storage;

    private StoppedDataDirectory(Path dataDir, FileRaftStorage storage) {
        this.dataDir = dataDir;
        this.storage = storage;
    }

    /**
     * @throws RecoveryException if the directory is missing, empty, unreadable or in use
     */
    static StoppedDataDirectory open(Path dataDir) {
        Path raft = dataDir.resolve("raft");
        Path wal = raft.resolve("wal");
        if (!Files.isDirectory(dataDir)) {
            throw new RecoveryException(dataDir + " is not a directory: give the stopped node's ratchet.data-dir");
        }
        if (!Files.isDirectory(wal) || !hasSegments(wal)) {
            throw new RecoveryException("no Raft log in " + dataDir + " (expected " + wal
                    + "/wal-*.log): is this a Ratchet data directory, and not a wiped one?");
        }
        refuseIfLocked(wal);
        FileRaftStorage storage;
        try {
            storage = FileRaftStorage.open(raft, (base, e) -> ConfChange.applyEntry(base, e.data()));
        } catch (StorageException e) {
            throw new RecoveryException("cannot read the Raft log in " + raft + ": " + e.getMessage(), e);
        }
        if (storage.lastIndex() == 0 && storage.hardState().term() == 0 && storage.snapshotMetadata().index() == 0) {
            storage.close();
            throw new RecoveryException("the Raft log in " + raft + " is empty: this node never held any data");
        }
        return new StoppedDataDirectory(dataDir, storage);
    }

    private static boolean hasSegments(Path wal) {
        try (Stream<Path> files = Files.list(wal)) {
            return files.anyMatch(p -> p.getFileName().toString().matches("wal-\\d{20}\\.log"));
        } catch (IOException e) {
            throw new RecoveryException("cannot list " + wal + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the storage's lock file before opening, so that a running node gets a message that says so
     * (the storage itself would refuse too, only less plainly). The lock is the OS's, dropped when the
     * owning process dies, so a crashed node does not count as running.
     */
    private static void refuseIfLocked(Path wal) {
        Path lockFile = wal.resolve("LOCK");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new RecoveryException(wal.getParent().getParent() + " is locked by a running node:"
                        + " stop the node first (recovery works on a stopped node's data directory only)");
            }
            lock.release();
        } catch (IOException e) {
            throw new RecoveryException("cannot check the lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return dataDir;
    }

    /**
     * The node id to act for: {@code given}, checked against the directory's identity file, or the
     * identity file's when {@code given} is null.
     *
     * @throws RecoveryException if they differ, or neither is there
     */
    String nodeId(String given) {
        Optional<Incarnation> identity = identity();
        if (identity.isPresent() && given != null && !identity.get().nodeId().equals(given)) {
            throw new RecoveryException(dataDir + " belongs to node '" + identity.get().nodeId() + "' ("
                    + dataDir.resolve("identity") + "), not to '" + given + "'");
        }
        if (given != null) {
            return given;
        }
        return identity.map(Incarnation::nodeId).orElseThrow(() -> new RecoveryException(dataDir
                + " has no identity file (it is from before incarnations): give --node-id"));
    }

    /**
     * This directory's Raft id for {@code nodeId}: its incarnation from the identity file; for a directory
     * without one, the only voter whose node id is {@code nodeId} (or the bare node id).
     */
    String raftId(String nodeId, Set<String> voters) {
        Optional<Incarnation> identity = identity();
        if (identity.isPresent()) {
            return identity.get().raftId();
        }
        List<String> candidates = voters.stream().filter(v -> RaftIds.nodeId(v).equals(nodeId)).sorted().toList();
        return candidates.size() == 1 ? candidates.get(0) : nodeId;
    }

    /** The identity file's content, if the directory has one. */
    Optional<Incarnation> identity() {
        try {
            return new IdentityFile(dataDir.resolve("identity")).read();
        } catch (IOException e) {
            throw new RecoveryException(e.getMessage(), e);
        }
    }

    /** The open log; owned by this directory, closed with it. */
    FileRaftStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        storage.close();
    }
}
