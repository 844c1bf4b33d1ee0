package dev.ratchet.node;

import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * This node's copy of the newest trust roots it knows, kept beside the Raft data so that TLS can start
 * before the log is replayed. It holds private keys: the directory is 0700, the file 0600, and it is
 * replaced atomically (temp file, fsync, rename, directory fsync) so a crash never leaves half a file.
 */
final class RootsFile {

    private final Path file;

    RootsFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /**
     * The roots on disk, or empty if there is no file.
     *
     * @throws IOException naming the file if it exists but cannot be read or decoded
     */
    synchronized Optional<TrustRoots> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return Optional.of(TrustRootsCodec.decode(bytes));
        } catch (TrustFormatException e) {
            throw new IOException("trust roots file " + file + " is corrupt: " + e.getMessage()
                    + "; move it away and restart the node to fetch the roots again with the join token", e);
        }
    }

    synchronized void write(TrustRoots roots) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(TrustRootsCodec.encode(roots)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
