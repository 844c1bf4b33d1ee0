package dev.ratchet.artifacts;

import dev.ratchet.state.Etags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Blobs on local disk, named by the SHA-256 of their content: {@code <root>/<first two hex>/<etag>}, with
 * incoming data first written to {@code <root>/tmp/} and renamed into place only after it was fsynced and
 * its digest checked. Directories are 0700, files 0600. Symbolic links are never followed: a blob or shard
 * that is a link is treated as absent.
 *
 * <p>Thread-safety: safe for concurrent use; each upload or fetch writes its own temporary file, and a
 * rename into place is atomic. Methods block on disk I/O. Deciding <em>when</em> a blob may be published
 * or deleted belongs to {@link EtagIndex}, which calls {@link #publish} and {@link #delete}.
 */
public final class BlobStore {

    /** Bytes read or written per step while streaming. */
    static final int IO_BUFFER_BYTES = 256 * 1024;
    private static final Set<java.nio.file.attribute.PosixFilePermission> DIR_MODE =
            PosixFilePermissions.fromString("rwx------");
    private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_MODE =
            PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final Path tmp;

    /**
     * Opens (creating if needed) the store under {@code root} and removes temporary files left by a crash.
     *
     * @throws IOException if the directory cannot be created or is a symbolic link
     */
    public BlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        createPrivateDir(this.root);
        createPrivateDir(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Path root() {
        return root;
    }

    /** A blob written to a temporary file and fsynced, not yet visible under its etag. */
    public record Staged(Path file, String etag, long size) {
    }

    /**
     * Streams {@code in} into a temporary file while computing its SHA-256, then fsyncs it.
     *
     * @param expectedLength the declared length, or -1 if unknown
     * @param maxBytes the largest accepted blob
     * @throws BlobTooLargeException if more than {@code maxBytes} arrive
     * @throws LengthMismatchException if the stream ends at another length than declared
     * @throws IOException if reading or writing fails; in every failure the temporary file is gone
     */
    public Staged stage(InputStream in, long expectedLength, long maxBytes) throws IOException {
        return stage(in, expectedLength, maxBytes, null, null);
    }

    /**
     * As {@link #stage(InputStream, long, long)}, telling {@code room} after every buffer how much is on
     * disk, so a limit stops the upload as soon as it is passed.
     *
     * @param room the upload's reservation, or null for none
     * @param what words for a refusal
     * @throws ArtifactStoreFullException when {@code room} refuses more bytes
     */
    public Staged stage(InputStream in, long expectedLength, long maxBytes, StorageBudget.Reservation room, String what)
            throws IOException {
        Path file = newTempFile();
        boolean ok = false;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[IO_BUFFER_BYTES];
            long total = 0;
            int n;
            while ((n = readBody(in, buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new BlobTooLargeException("content exceeds the limit of " + maxBytes + " bytes");
                }
                if (expectedLength >= 0 && total > expectedLength) {
                    throw new LengthMismatchException("body is longer than Content-Length " + expectedLength);
                }
                if (room != null) {
                    room.written(total, what);
                }
                digest.update(buffer, 0, n);
                writeFully(out, ByteBuffer.wrap(buffer, 0, n));
            }
            if (expectedLength >= 0 && total != expectedLength) {
                throw new LengthMismatchException("body has " + total + " bytes but Content-Length says " + expectedLength);
            }
            out.force(true);
            ok = true;
            return new Staged(file, HexFormat.of().formatHex(digest.digest()), total);
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Receives a blob fetched from a peer in chunks; {@link #finish} checks it against the expected etag. */
    public final class Receiver implements AutoCloseable {
        private final Path file;
        private final FileChannel out;
        private final MessageDigest digest = sha256();
        private final long maxBytes;
        private long total;
        private boolean finished;

        private Receiver(long maxBytes) throws IOException {
            this.maxBytes = maxBytes;
            this.file = newTempFile();
            this.out = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }

        /** Appends one chunk. */
        public void write(byte[] chunk) throws IOException {
            total += chunk.length;
            if (total > maxBytes) {
                throw new IOException("peer sent more than the expected " + maxBytes + " bytes");
            }
            digest.update(chunk);
            writeFully(out, ByteBuffer.wrap(chunk));
        }

        /**
         * Fsyncs and verifies the received bytes.
         *
         * @throws IOException if the size or the SHA-256 differs from what was expected
         */
        public Staged finish(String expectedEtag, long expectedSize) throws IOException {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (total != expectedSize) {
                throw new IOException("received " + total + " bytes, expected " + expectedSize);
            }
            if (!actual.equals(expectedEtag)) {
                throw new IOException("received content has SHA-256 " + actual + ", expected " + expectedEtag);
            }
            out.force(true);
            out.close();
            finished = true;
            return new Staged(file, actual, total);
        }

        /** Deletes the temporary file unless {@link #finish} succeeded. */
        @Override
        public void close() throws IOException {
            out.close();
            if (!finished) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Starts receiving a blob of at most {@code maxBytes}. */
    public Receiver receive(long maxBytes) throws IOException {
        return new Receiver(maxBytes);
    }

    /**
     * Renames a staged file to its etag's place (replacing nothing if that blob is already there, in which
     * case the staged copy is deleted) and fsyncs the shard directory. Called by {@link EtagIndex} only.
     */
    void publish(Staged staged) throws IOException {
        Path target = path(staged.etag());
        createPrivateDir(target.getParent());
        if (isRegularBlob(target)) {
            Files.deleteIfExists(staged.file());
            return;
        }
        Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    /** Deletes a temporary file that will not be published. */
    public void discard(Staged staged) {
        try {
            Files.deleteIfExists(staged.file());
        } catch (IOException e) {
            // Left for the clean-up at the next start.
        }
    }

    /** Removes a blob; absent is fine. Called by {@link EtagIndex} only. */
    void delete(String etag) throws IOException {
        Files.deleteIfExists(path(etag));
    }

    /** Opens a blob for reading without following links. */
    public FileChannel open(String etag) throws IOException {
        Path p = path(etag);
        if (!isRegularBlob(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such blob (or not a regular file)");
        }
        return FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** The etags and sizes of every blob on disk (at start-up, to seed the index). */
    public List<Staged> scan() throws IOException {
        List<Staged> out = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
            for (Path shard : shards) {
                String name = shard.getFileName().toString();
                if (name.length() != 2 || !Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(shard)) {
                    for (Path blob : blobs) {
                        String etag = blob.getFileName().toString();
                        if (Etags.isSha256Hex(etag) && etag.startsWith(name) && isRegularBlob(blob)) {
                            out.add(new Staged(blob, etag, Files.size(blob)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Where a blob lives; the etag must be a SHA-256 hex string. */
    Path path(String etag) {
        if (!Etags.isSha256Hex(etag)) {
            throw new IllegalArgumentException("not a SHA-256 etag: " + etag);
        }
        return root.resolve(etag.substring(0, 2)).resolve(etag);
    }

    /** Temporary files present (an upload or fetch is running, or something leaked). */
    public long temporaryFiles() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.count();
        }
    }

    private static int readBody(InputStream in, byte[] buffer) throws BodyReadException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new BodyReadException("reading the upload failed (client went away?): " + e.getMessage(), e);
        }
    }

    private Path newTempFile() throws IOException {
        Path file = tmp.resolve(UUID.randomUUID() + ".part");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
        return file;
    }

    private static boolean isRegularBlob(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; refusing to store blobs through it");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, DIR_MODE);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** More bytes arrived than the configured maximum. */
    public static final class BlobTooLargeException extends IOException {
        public BlobTooLargeException(String message) {
            super(message);
        }
    }

    /** Reading the uploaded content failed: the client aborted or the connection broke. */
    public static final class BodyReadException extends IOException {
        public BodyReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The body did not match its declared Content-Length. */
    public static final class LengthMismatchException extends IOException {
        public LengthMismatchException(String message) {
            super(message);
        }
    }
}
