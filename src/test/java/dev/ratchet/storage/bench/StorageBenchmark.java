package dev.ratchet.storage.bench;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.storage.FileRaftStorage;
import dev.ratchet.storage.PosixFileIo;
import dev.ratchet.storage.StorageOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures {@link FileRaftStorage} on the disk under {@code target/}: raw fsync rate of the disk
 * (4 KiB write + force on a plain file), 4 KiB append+sync latency, and group-commit throughput of
 * 100-byte entries at batch sizes 1, 16 and 256. Writes {@code target/benchmarks/storage.json}.
 *
 * <p>Run with {@code tools/storage-bench.sh [secondsPerPhase [directory]]}. Not a test: numbers depend on the disk.
 */
public final class StorageBenchmark {

    private StorageBenchmark() {}

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Path work = args.length > 1 ? Path.of(args[1]).resolve("ratchet-bench-storage") : Path.of("target", "bench-storage");
        deleteRecursively(work);
        Files.createDirectories(work);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("timestamp", Instant.now().toString());
        results.put("java", System.getProperty("java.version"));
        results.put("secondsPerPhase", seconds);
        results.put("directory", work.toAbsolutePath().toString());

        // Warm-up so the JIT does not count against the first phase.
        appendSyncLatencies(work.resolve("warmup"), 4096, Math.min(seconds, 1));

        long[] raw = rawFsyncLatencies(work.resolve("raw.bin"), seconds, false);
        results.put("rawFsync", summary(raw));
        long[] rawPreallocated = rawFsyncLatencies(work.resolve("raw-preallocated.bin"), seconds, true);
        results.put("rawFsyncPreallocatedFile", summary(rawPreallocated));

        long[] latency = appendSyncLatencies(work.resolve("latency"), 4096, seconds);
        results.put("append4KiBSync", summary(latency));

        Map<String, Object> throughput = new LinkedHashMap<>();
        for (int batch : new int[] {1, 16, 256}) {
            long[] syncs = groupCommit(work.resolve("batch-" + batch), batch, seconds);
            Map<String, Object> phase = summary(syncs);
            phase.put("batchSize", batch);
            phase.put("entriesPerSecond", Math.round(rate(syncs) * batch));
            throughput.put("batch" + batch, phase);
        }
        results.put("groupCommit100B", throughput);

        // The disk is shared and noisy: measure raw fsync again and compare with the mean of both runs.
        long[] rawAgain = rawFsyncLatencies(work.resolve("raw-again.bin"), seconds, false);
        results.put("rawFsyncAgain", summary(rawAgain));
        double rawRate = (rate(raw) + rate(rawAgain)) / 2;
        double storageSyncRate = rate(latency);
        results.put("rawFsyncRateOver4KiBAppendSyncRate", round(rawRate / storageSyncRate));
        results.put("preallocatedRawFsyncRateOver4KiBAppendSyncRate", round(rate(rawPreallocated) / storageSyncRate));
        deleteRecursively(work);

        String json = toJson(results, "");
        Path out = Path.of("target", "benchmarks", "storage.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json + "\n");
        System.out.println(json);
    }

    /**
     * Latency of write 4 KiB + force on a plain file: what the disk itself allows. The file grows with
     * every write, or (preallocated) is first filled with 64 MiB of zeros that the writes overwrite.
     */
    private static long[] rawFsyncLatencies(Path file, double seconds, boolean preallocated) throws IOException {
        List<Long> nanos = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (preallocated) {
                ByteBuffer zeros = ByteBuffer.allocate(1024 * 1024);
                for (long offset = 0; offset < 64L * 1024 * 1024; offset += zeros.capacity()) {
                    zeros.clear();
                    while (zeros.hasRemaining()) {
                        channel.write(zeros, offset + zeros.position());
                    }
                }
                channel.force(true);
            }
            long position = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                block.clear();
                while (block.hasRemaining()) {
                    position += channel.write(block, position);
                }
                channel.force(false);
                nanos.add(System.nanoTime() - start);
            }
        }
        return toArray(nanos);
    }

    private static long[] appendSyncLatencies(Path dir, int entryBytes, double seconds) {
        return groupCommit(dir, 1, entryBytes, seconds);
    }

    private static long[] groupCommit(Path dir, int batch, double seconds) {
        return groupCommit(dir, batch, 100, seconds);
    }

    /** Latency of each append(batch) + sync(). */
    private static long[] groupCommit(Path dir, int batch, int entryBytes, double seconds) {
        List<Long> nanos = new ArrayList<>();
        byte[] payload = new byte[entryBytes];
        Arrays.fill(payload, (byte) 'x');
        try (FileRaftStorage storage = FileRaftStorage.open(dir, (base, e) -> base, StorageOptions.DEFAULTS,
                new PosixFileIo())) {
            long next = 1;
            List<Entry> entries = new ArrayList<>(batch);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                entries.clear();
                for (int i = 0; i < batch; i++) {
                    entries.add(new Entry(next + i, 1, EntryType.COMMAND, payload));
                }
                long start = System.nanoTime();
                storage.append(entries);
                storage.sync();
                nanos.add(System.nanoTime() - start);
                next += batch;
            }
        }
        return toArray(nanos);
    }

    private static long[] toArray(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    private static double rate(long[] sortedNanos) {
        long total = Arrays.stream(sortedNanos).sum();
        return sortedNanos.length / (total / 1e9);
    }

    private static Map<String, Object> summary(long[] sortedNanos) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("operations", sortedNanos.length);
        summary.put("perSecond", Math.round(rate(sortedNanos)));
        summary.put("medianMicros", round(sortedNanos[sortedNanos.length / 2] / 1e3));
        summary.put("p99Micros", round(sortedNanos[(int) Math.min(sortedNanos.length - 1L, sortedNanos.length * 99L / 100)] / 1e3));
        return summary;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
                out.append(indent).append("  \"").append(field.getKey()).append("\": ")
                        .append(toJson(field.getValue(), indent + "  "))
                        .append(++i < map.size() ? ",\n" : "\n");
            }
            return out.append(indent).append("}").toString();
        }
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        return String.valueOf(value);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
