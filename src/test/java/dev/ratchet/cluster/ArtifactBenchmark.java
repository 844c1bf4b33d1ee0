package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Upload throughput of one large artifact into a 3-node cluster and the time until every node holds it,
 * against the raw rate of writing (and fsyncing) the same amount to the same disk. Opt-in: run with
 * {@code tools/artifact-benchmark.sh} ({@code -Dratchet.benchmark=true}); size with
 * {@code -Dratchet.benchmark.mib} (default 1024). Writes {@code target/benchmarks/artifacts.json}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "ratchet.benchmark", matches = "true")
class ArtifactBenchmark {

    private static final long MIB = 1024 * 1024;

    @Test
    void uploadAndReplicateOneLargeArtifact() throws Exception {
        long size = Long.getLong("ratchet.benchmark.mib", 1024) * MIB;
        Path out = Files.createDirectories(Path.of("target", "benchmarks"));
        double rawSeconds = rawDiskWrite(out.resolve("raw-write.bin"), size);

        LocalCluster cluster = new LocalCluster("artifact-benchmark", 3, List.of("--ratchet.artifacts.max-size=20GB",
                "--ratchet.api.request-timeout=120s"));
        try {
            cluster.start();
            ArtifactHttp.GeneratedContent body = new ArtifactHttp.GeneratedContent(42, size);
            long start = System.nanoTime();
            HttpResponse<String> put = ArtifactHttp.put(cluster.node(1), "bench/large.bin", body, size,
                    Duration.ofMinutes(30));
            double uploadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.headers().firstValue("ETag")).contains("\"" + body.sha256Hex() + "\"");
            for (NodeProcess n : cluster.nodes()) {
                await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ArtifactHttp.holds(n, "bench/large.bin"));
            }
            double everywhereSeconds = (System.nanoTime() - start) / 1e9;
            double mb = size / 1e6;
            String json = String.format(java.util.Locale.ROOT, """
                    {
                      "benchmark": "artifact-upload",
                      "when": "%s",
                      "bytes": %d,
                      "nodes": 3,
                      "cores": %d,
                      "nodeJvm": "%s",
                      "rawDiskWriteSeconds": %.3f,
                      "rawDiskWriteMBps": %.1f,
                      "uploadSeconds": %.3f,
                      "uploadMBps": %.1f,
                      "onEveryNodeSeconds": %.3f,
                      "replicatedMBps": %.1f
                    }
                    """, Instant.now(), size, Runtime.getRuntime().availableProcessors(),
                    Boolean.getBoolean("ratchet.test.full-jit") ? "-Xmx256m, tiered JIT" : "-Xmx256m, C1 only", rawSeconds, mb / rawSeconds,
                    uploadSeconds, mb / uploadSeconds, everywhereSeconds, mb / everywhereSeconds);
            Files.writeString(out.resolve("artifacts.json"), json);
            System.out.println(json);
        } finally {
            cluster.close();
        }
    }

    /** Seconds to write {@code size} pseudo-random bytes and fsync them, in 1 MiB writes. */
    private static double rawDiskWrite(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] block = new byte[(int) MIB];
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                ByteBuffer b = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - written));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
            return (System.nanoTime() - start) / 1e9;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
