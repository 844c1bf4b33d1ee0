package dev.ratchet.join;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Incarnation} of a data directory, in a small text file ({@code identity}) beside the Raft
 * data. Written once at the directory's first start, before anything else is written to it, and replaced
 * atomically (temp file, fsync, rename, directory fsync), so a crash leaves the old file or the new one.
 *
 * <p>Thread-safe (synchronized); blocks on disk I/O.
 */
public final class IdentityFile {

    private static final String VERSION = "1";
    private final Path file;

    public IdentityFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * The identity on disk, or empty if there is no file.
     *
     * @throws IOException naming the file if it exists but cannot be read or is not an identity file
     */
    public synchronized Optional<Incarnation> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (!VERSION.equals(fields.get("version"))) {
            throw new IOException("identity file " + file + " has version " + fields.get("version") + ", expected "
                    + VERSION + "; it was written by another Ratchet version");
        }
        try {
            String cluster = fields.getOrDefault("cluster-id", "");
            return Optional.of(new Incarnation(cluster.isEmpty() ? null : cluster, fields.get("node-id"),
                    fields.getOrDefault("incarnation", "")));
        } catch (IllegalArgumentException e) {
            throw new IOException("identity file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** Replaces the file with {@code identity}, durably. */
    public synchronized void write(Incarnation identity) throws IOException {
        String text = "version=" + VERSION + "\n"
                + "node-id=" + identity.nodeId() + "\n"
                + "incarnation=" + identity.incarnation() + "\n"
                + "cluster-id=" + (identity.clusterId() == null ? "" : identity.clusterId()) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
