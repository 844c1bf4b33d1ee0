package dev.ratchet.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ObjectNode;

/**
 * The floor a write's latency is judged against: how long one small append plus {@code fdatasync} takes on
 * the disk the nodes' data directories are on, measured in the same run. Blocks; not thread-safe.
 */
final class FsyncProbe {

    private FsyncProbe() {
    }

    /** Appends {@code count} 100-byte records to a file in {@code dir}, each forced to disk, and reports. */
    static ObjectNode measure(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-probe.bin");
        Histogram micros = new Histogram(3);
        ByteBuffer record = ByteBuffer.allocate(100);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                record.clear();
                record.putInt(0, i);
                long start = System.nanoTime();
                ch.write(record);
                ch.force(false);
                micros.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("directory", dir.toAbsolutePath().toString());
        o.put("appends", count);
        o.put("fsyncP50Ms", micros.getValueAtPercentile(50) / 1000.0);
        o.put("fsyncP99Ms", micros.getValueAtPercentile(99) / 1000.0);
        o.put("fsyncMaxMs", micros.getMaxValue() / 1000.0);
        return o;
    }
}
