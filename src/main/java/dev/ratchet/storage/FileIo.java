package dev.ratchet.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-system operations storage uses, so that tests can inject faults (disk full, failing fsync)
 * underneath real files. {@link PosixFileIo} is the production implementation.
 *
 * <p>Contract: every method may block on disk I/O and reports failure as {@link IOException}; none is
 * retried by the caller. Implementations must be safe to call from one thread at a time.
 */
public interface FileIo {

    /**
     * Creates the directory and missing parents; new directories, and the directory itself if it
     * already existed, are owner-only (0700).
     */
    void createDirectories(Path dir) throws IOException;

    /** Opens an existing file for reading and writing. */
    FileChannel openReadWrite(Path file) throws IOException;

    /** Creates a new owner-only (0600) file for reading and writing; fails if it exists. */
    FileChannel createNew(Path file) throws IOException;

    /** Opens a file read-only. */
    FileChannel openRead(Path file) throws IOException;

    /** Makes the directory's entries (created, renamed, deleted files) durable. */
    void forceDirectory(Path dir) throws IOException;

    /** Renames atomically, replacing the target. */
    void atomicMove(Path from, Path to) throws IOException;

    /** Deletes the file if it exists. */
    void deleteIfExists(Path file) throws IOException;

    /** The regular files in a directory, sorted by name. */
    List<Path> list(Path dir) throws IOException;
}
