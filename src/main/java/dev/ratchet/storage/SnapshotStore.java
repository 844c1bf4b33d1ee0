package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Snapshot files in one directory, named {@code snap-<index>-<term>.snap}. A file is
 * {@code [magic:int][version:int][metadataLength:int][dataLength:int][crc32c:int][metadata][data]}; the
 * CRC32C covers the four header fields before it, the metadata and the data. Files are written to a
 * temporary name, forced, renamed atomically and the directory forced, so a crash leaves either the
 * whole new file or none.
 *
 * <p>Threading: owned by the storage's single writer thread, except that {@link #write} may also run on one other
 * thread (a local snapshot's file written beside the writer), concurrently with {@link #list} and the rest.
 */
final class SnapshotStore {

    /** A snapshot file found on disk, not yet verified. */
    record SnapshotFile(Path path, long index, long term) {}

    /** A snapshot file failed verification. */
    static final class CorruptSnapshotException extends Exception {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }

    private static final int MAGIC = 0x52534E50; // "RSNP"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 20;
    private static final int MAX_METADATA_BYTES = 1024 * 1024;
    private static final int MAX_MEMBERS = 10_000;
    private static final int MAX_MEMBER_ID_BYTES = 1024;
    private static final String TEMP_SUFFIX = ".tmp";
    /** A snapshot's data is forced to disk every this many bytes while it is written (see {@link #write}). */
    static final int SYNC_EVERY_BYTES = 8 << 20;

    private final Path dir;
    private final FileIo io;
    private final int maxSnapshotBytes;

    SnapshotStore(Path dir, FileIo io, int maxSnapshotBytes) {
        this.dir = dir;
        this.io = io;
        this.maxSnapshotBytes = maxSnapshotBytes;
    }

    /** Deletes the temporary files of writes that never reached their rename. At open only. */
    void deleteUnfinished() throws IOException {
        for (Path path : io.list(dir)) {
            if (path.getFileName().toString().endsWith(TEMP_SUFFIX)) {
                io.deleteIfExists(path);
            }
        }
    }

    /**
     * Snapshot files, newest (highest index) first. Temporary files are skipped, not deleted: one may be a
     * snapshot being written on another thread ({@link #write} is safe to call concurrently with this).
     */
    List<SnapshotFile> list() throws IOException {
        List<SnapshotFile> files = new ArrayList<>();
        for (Path path : io.list(dir)) {
            String name = path.getFileName().toString();
            if (name.matches("snap-\\d{20}-\\d{20}\\.snap")) {
                files.add(new SnapshotFile(path, Long.parseLong(name.substring(5, 25)),
                        Long.parseLong(name.substring(26, 46))));
            }
        }
        files.sort(Comparator.comparingLong(SnapshotFile::index).thenComparingLong(SnapshotFile::term).reversed());
        return files;
    }

    /** Where the snapshot with this metadata is (or would be) kept. */
    Path path(SnapshotMetadata metadata) {
        return dir.resolve(fileName(metadata));
    }

    /** Reads and verifies a snapshot file. */
    Snapshot load(SnapshotFile file) throws IOException, CorruptSnapshotException {
        try (FileChannel channel = io.openRead(file.path())) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw corrupt(file, "file of " + size + " bytes is shorter than the header");
            }
            ByteBuffer header = readFully(channel, 0, HEADER_BYTES);
            int metadataLength = header.getInt(8);
            int dataLength = header.getInt(12);
            if (header.getInt(0) != MAGIC || header.getInt(4) != VERSION) {
                throw corrupt(file, "bad magic or version");
            }
            if (metadataLength < 0 || metadataLength > MAX_METADATA_BYTES
                    || dataLength < 0 || dataLength > maxSnapshotBytes) {
                throw corrupt(file, "metadata/data length out of range: " + metadataLength + "/" + dataLength);
            }
            if (size != (long) HEADER_BYTES + metadataLength + dataLength) {
                throw corrupt(file, "file size " + size + " does not match its header");
            }
            ByteBuffer metadata = readFully(channel, HEADER_BYTES, metadataLength);
            ByteBuffer data = readFully(channel, HEADER_BYTES + (long) metadataLength, dataLength);
            CRC32C crc = new CRC32C();
            crc.update(header.slice(0, 16));
            crc.update(metadata.duplicate());
            crc.update(data.duplicate());
            if ((int) crc.getValue() != header.getInt(16)) {
                throw corrupt(file, "checksum mismatch");
            }
            SnapshotMetadata meta = decodeMetadata(file, metadata);
            if (meta.index() != file.index() || meta.term() != file.term()) {
                throw corrupt(file, "metadata " + meta.index() + "@" + meta.term() + " does not match the file name");
            }
            return new Snapshot(meta, data.array());
        }
    }

    /**
     * Writes the snapshot durably (temporary file, force, atomic rename, directory force). Blocks for the disk;
     * thread-safe (files of different snapshots do not meet; the directory force covers any rename before it).
     */
    void write(Snapshot snapshot) throws IOException {
        if (snapshot.data().length > maxSnapshotBytes) {
            throw new IllegalArgumentException("snapshot of " + snapshot.data().length + " bytes exceeds "
                    + maxSnapshotBytes);
        }
        ByteBuffer metadata = encodeMetadata(snapshot.metadata());
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .putInt(MAGIC).putInt(VERSION).putInt(metadata.remaining()).putInt(snapshot.data().length);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 16);
        crc.update(metadata.duplicate());
        crc.update(snapshot.data());
        header.putInt((int) crc.getValue()).flip();

        Path target = dir.resolve(fileName(snapshot.metadata()));
        Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        io.deleteIfExists(temp);
        try (FileChannel channel = io.createNew(temp)) {
            long position = writeFully(channel, header, 0);
            position = writeFully(channel, metadata, position);
            byte[] data = snapshot.data();
            for (int offset = 0; offset < data.length; offset += SYNC_EVERY_BYTES) {
                if (offset > 0) {
                    // Incrementally, as RocksDB's bytes_per_sync does: a WAL fsync of this node, which on ext4
                    // waits for every file's dirty data, then waits for a few MiB rather than the whole image
                    // (measured: a 150 MB image forced at once held a concurrent WAL fsync up for 86 ms).
                    channel.force(false);
                }
                int length = Math.min(SYNC_EVERY_BYTES, data.length - offset);
                position = writeFully(channel, ByteBuffer.wrap(data, offset, length), position);
            }
            channel.force(true);
        }
        io.atomicMove(temp, target);
        io.forceDirectory(dir);
    }

    private static long writeFully(FileChannel channel, ByteBuffer part, long position) throws IOException {
        while (part.hasRemaining()) {
            position += channel.write(part, position);
        }
        return position;
    }

    /** Moves a file that failed verification out of the way, keeping it for inspection. */
    void quarantine(SnapshotFile file) throws IOException {
        io.atomicMove(file.path(), file.path().resolveSibling(file.path().getFileName() + ".corrupt"));
    }

    void delete(SnapshotFile file) throws IOException {
        io.deleteIfExists(file.path());
    }

    static String fileName(SnapshotMetadata metadata) {
        return String.format("snap-%020d-%020d.snap", metadata.index(), metadata.term());
    }

    private static ByteBuffer encodeMetadata(SnapshotMetadata metadata) {
        List<byte[]> voters = memberBytes(metadata.conf().voters());
        List<byte[]> learners = memberBytes(metadata.conf().learners());
        int size = 8 + 8 + 4 + 4;
        for (byte[] id : voters) {
            size += 2 + id.length;
        }
        for (byte[] id : learners) {
            size += 2 + id.length;
        }
        if (size > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("snapshot membership too large: " + size + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(size).putLong(metadata.index()).putLong(metadata.term());
        for (List<byte[]> members : List.of(voters, learners)) {
            out.putInt(members.size());
            for (byte[] id : members) {
                out.putShort((short) id.length).put(id);
            }
        }
        return out.flip();
    }

    private static List<byte[]> memberBytes(Set<String> ids) {
        if (ids.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
        }
        List<byte[]> result = new ArrayList<>();
        for (String id : ids) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_MEMBER_ID_BYTES) {
                throw new IllegalArgumentException("member id longer than " + MAX_MEMBER_ID_BYTES + " bytes");
            }
            result.add(bytes);
        }
        return result;
    }

    private SnapshotMetadata decodeMetadata(SnapshotFile file, ByteBuffer in) throws CorruptSnapshotException {
        try {
            long index = in.getLong();
            long term = in.getLong();
            Set<String> voters = decodeMembers(in);
            Set<String> learners = decodeMembers(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing metadata bytes");
            }
            return new SnapshotMetadata(index, term, new ConfState(voters, learners));
        } catch (RuntimeException e) {
            throw corrupt(file, "malformed metadata: " + e.getMessage());
        }
    }

    private static Set<String> decodeMembers(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > MAX_MEMBERS) {
            throw new IllegalArgumentException("member count " + count);
        }
        Set<String> members = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            int length = in.getShort();
            if (length < 0 || length > MAX_MEMBER_ID_BYTES) {
                throw new IllegalArgumentException("member id length " + length);
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            members.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return members;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(length);
        while (out.hasRemaining()) {
            if (channel.read(out, position + out.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return out.flip();
    }

    private static CorruptSnapshotException corrupt(SnapshotFile file, String reason) {
        return new CorruptSnapshotException("snapshot " + file.path() + " is corrupt: " + reason);
    }
}
