package dev.ratchet.storage;

import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exclusive OS lock on {@code LOCK} in the WAL directory, so that two processes (or two storages in
 * one JVM) never write the same log. The OS drops it when the process dies, even on SIGKILL.
 */
final class DirectoryLock {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(FileIo io, Path dir) throws IOException {
        Path path = dir.resolve("LOCK");
        FileChannel channel = Files.exists(path) ? io.openReadWrite(path) : io.createNew(path);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StorageException(dir + " is in use by another storage instance");
        }
        return new DirectoryLock(channel, lock);
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock; nothing is lost if this fails.
        }
    }
}
