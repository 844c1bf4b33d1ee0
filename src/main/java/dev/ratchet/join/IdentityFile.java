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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdentityFile.class);
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

    /**
     * The identity of this data directory, written before anything else goes into it. An empty directory
     * ({@code empty}: no Raft log, state or snapshot) is always a new incarnation: it remembers no log,
     * term or vote, so it must not pass for the old one, whatever an identity file left behind says. A
     * directory with data but no file is from before incarnations and keeps its bare node id as Raft id.
     *
     * @throws IOException if the file cannot be read or written, or names another node id
     */
    public Incarnation resolve(String nodeId, boolean empty, java.security.SecureRandom random) throws IOException {
        Optional<Incarnation> onDisk = read();
        if (onDisk.isPresent() && !onDisk.get().nodeId().equals(nodeId)) {
            throw new IOException("the data directory " + file.toAbsolutePath().getParent() + " belongs to node '"
                    + onDisk.get().nodeId() + "' (" + file + "), not to ratchet.node-id '" + nodeId
                    + "': start that node with it, or give this node an empty directory");
        }
        if (empty) {
            Incarnation fresh = Incarnation.fresh(null, nodeId, random);
            write(fresh);
            log.info("{} starts a new incarnation {} (empty data directory)", nodeId, fresh.incarnation());
            return fresh;
        }
        if (onDisk.isPresent()) {
            return onDisk.get();
        }
        Incarnation legacy = Incarnation.legacy(nodeId);
        write(legacy);
        log.info("{}: data directory from before incarnations; its Raft id stays {}", nodeId, legacy.raftId());
        return legacy;
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
