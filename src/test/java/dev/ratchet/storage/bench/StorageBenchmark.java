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
 * Measures {@link FileRaftStorage} against the disk it runs on: the raw fsync rate (4 KiB write + force
 * on a plain file, growing and preallocated), 4 KiB append+sync latency, and group-commit throughput of
 * 100-byte entries at batch sizes 1, 16 and 256. Shared disks are noisy, so the phases run interleaved
 * in short rounds and every figure sees the same conditions. Writes {@code target/benchmarks/storage.json}.
 *
 * <p>Run with {@code tools/storage-bench.sh [secondsPerPhase [directory]]}. Not a test.
 */
public final class StorageBenchmark {

    private static final int ROUNDS = 10;

    private StorageBenchmark() {}

    /** One measured operation, repeated; resources stay open across rounds. */
    private interface Phase extends AutoCloseable {
        void runOnce() throws IOException;

        @Override
        void close() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Path work = args.length > 1 ? Path.of(args[1]).resolve("ratchet-bench-storage") : Path.of("target", "bench-storage");
        deleteRecursively(work);
        Files.createDirectories(work);

        try (Phase warmup = storagePhase(work.resolve("warmup"), 1, 4096)) {
            measure(warmup, Math.min(seconds, 1));
        }
        Map<String, Phase> phases = new LinkedHashMap<>();
        phases.put("rawFsync", rawPhase(work.resolve("raw.bin"), false));
        phases.put("rawFsyncPreallocatedFile", rawPhase(work.resolve("raw-preallocated.bin"), true));
        phases.put("append4KiBSync", storagePhase(work.resolve("latency"), 1, 4096));
        phases.put("batch1", storagePhase(work.resolve("batch-1"), 1, 100));
        phases.put("batch16", storagePhase(work.resolve("batch-16"), 16, 100));
        phases.put("batch256", storagePhase(work.resolve("batch-256"), 256, 100));
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        phases.keySet().forEach(name -> nanos.put(name, new ArrayList<>()));
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Phase> phase : phases.entrySet()) {
                nanos.get(phase.getKey()).addAll(measure(phase.getValue(), seconds / ROUNDS));
            }
        }
        for (Phase phase : phases.values()) {
            phase.close();
        }
        deleteRecursively(work);

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("timestamp", Instant.now().toString());
        results.put("java", System.getProperty("java.version"));
        results.put("secondsPerPhase", seconds);
        results.put("directory", work.toAbsolutePath().toString());
        Map<String, long[]> sorted = new LinkedHashMap<>();
        nanos.forEach((name, values) -> sorted.put(name, toSortedArray(values)));
        results.put("rawFsync", summary(sorted.get("rawFsync"), 1));
        results.put("rawFsyncPreallocatedFile", summary(sorted.get("rawFsyncPreallocatedFile"), 1));
        results.put("append4KiBSync", summary(sorted.get("append4KiBSync"), 1));
        Map<String, Object> groupCommit = new LinkedHashMap<>();
        for (int batch : new int[] {1, 16, 256}) {
            groupCommit.put("batch" + batch, summary(sorted.get("batch" + batch), batch));
        }
        results.put("groupCommit100B", groupCommit);
        double storageSyncRate = rate(sorted.get("append4KiBSync"));
        results.put("rawFsyncRateOverStorageSyncRate", round(rate(sorted.get("rawFsync")) / storageSyncRate));
        results.put("preallocatedRawFsyncRateOverStorageSyncRate",
                round(rate(sorted.get("rawFsyncPreallocatedFile")) / storageSyncRate));

        String json = toJson(results, "");
        Path out = Path.of("target", "benchmarks", "storage.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json + "\n");
        System.out.println(json);
    }

    private static List<Long> measure(Phase phase, double seconds) throws IOException {
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            phase.runOnce();
            nanos.add(System.nanoTime() - start);
        }
        return nanos;
    }

    /**
     * Write 4 KiB + force on a plain file: what the disk itself allows. The file grows with every write,
     * or (preallocated) is first filled with 64 MiB of zeros that the writes overwrite, as WAL segments are.
     */
    private static Phase rawPhase(Path file, boolean preallocated) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long limit = 64L * 1024 * 1024;
        if (preallocated) {
            ByteBuffer zeros = ByteBuffer.allocate(1024 * 1024);
            for (long offset = 0; offset < limit; offset += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    channel.write(zeros, offset + zeros.position());
                }
            }
            channel.force(true);
        }
        ByteBuffer block = ByteBuffer.allocate(4096);
        return new Phase() {
            private long position;

            @Override
            public void runOnce() throws IOException {
                if (preallocated && position + block.capacity() > limit) {
                    position = 0;
                }
                block.clear();
                while (block.hasRemaining()) {
                    position += channel.write(block, position);
                }
                channel.force(false);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** append(batch) + sync() on a storage with default options. */
    private static Phase storagePhase(Path dir, int batch, int entryBytes) {
        byte[] payload = new byte[entryBytes];
        Arrays.fill(payload, (byte) 'x');
        FileRaftStorage storage = FileRaftStorage.open(dir, (base, e) -> base, StorageOptions.DEFAULTS, new PosixFileIo());
        List<Entry> entries = new ArrayList<>(batch);
        return new Phase() {
            private long next = 1;

            @Override
            public void runOnce() {
                entries.clear();
                for (int i = 0; i < batch; i++) {
                    entries.add(new Entry(next + i, 1, EntryType.COMMAND, payload));
                }
                storage.append(entries);
                storage.sync();
                next += batch;
            }

            @Override
            public void close() {
                storage.close();
            }
        };
    }

    private static long[] toSortedArray(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    /** Operations per second of busy time (the phases take turns, so wall time would mislead). */
    private static double rate(long[] nanos) {
        return nanos.length / (Arrays.stream(nanos).sum() / 1e9);
    }

    private static Map<String, Object> summary(long[] sortedNanos, int batch) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("operations", sortedNanos.length);
        summary.put("perSecond", Math.round(rate(sortedNanos)));
        if (batch > 1) {
            summary.put("batchSize", batch);
            summary.put("entriesPerSecond", Math.round(rate(sortedNanos) * batch));
        }
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
