package dev.ratchet.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a timed test: measures full mutual-TLS handshakes per second and how long a node that
 * missed maxTrustRoots rotations needs to find a common root. Runs only with
 * {@code -Dratchet.bench=true}; pin it to one core with {@code taskset -c 0}. Writes
 * {@code target/benchmarks/trust.json}.
 */
@EnabledIfSystemProperty(named = "ratchet.bench", matches = "true")
class TrustBenchmark {
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("ratchet.bench.seconds", 5));
    private static final Set<String> MEMBERS = Set.of("a", "b", "current", "stale");

    @Test
    void run() throws Exception {
        List<String> entries = new ArrayList<>();
        for (KeyType type : List.of(KeyType.EC_P256, KeyType.RSA_2048)) {
            entries.add(handshakes(type));
        }
        entries.add(staleNode(true));
        entries.add(staleNode(false));
        String json = "{\n  \"cpus\": " + Runtime.getRuntime().availableProcessors() + ",\n  \"java\": \""
                + System.getProperty("java.version") + "\",\n  \"results\": [\n    " + String.join(",\n    ", entries)
                + "\n  ]\n}\n";
        Path out = Path.of("target", "benchmarks", "trust.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    private static String handshakes(KeyType type) throws Exception {
        TrustSettings settings = new TrustSettings(Duration.ofDays(90), 3, Duration.ofHours(1), type);
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        TrustRoots roots = TrustRoots.of(Certificates.newRoot(settings, now, TestKeys.RANDOM));
        TestKeys.MutableClock clock = new TestKeys.MutableClock(now);
        try (TlsNode a = new TlsNode("a", roots, settings, clock, MEMBERS);
                TlsNode b = new TlsNode("b", roots, settings, clock, MEMBERS)) {
            for (int i = 0; i < 300; i++) {
                handshakeOnce(a, b);
            }
            long count = 0;
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            long end = start + MEASURE.toNanos();
            while (System.nanoTime() < end) {
                handshakeOnce(a, b);
                count++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            // Per CPU-second is what one dedicated core would do; the wall rate suffers from a shared machine.
            return String.format(Locale.ROOT,
                    "{\"name\": \"mutual_tls_handshakes_per_second\", \"keyType\": \"%s\", \"handshakes\": %d,"
                            + " \"wallSeconds\": %.2f, \"perWallSecond\": %.1f, \"cpuSeconds\": %.2f,"
                            + " \"perCpuSecond\": %.1f, \"cpuMillisPerHandshake\": %.3f}",
                    type, count, seconds, count / seconds, cpuSeconds, count / cpuSeconds, cpuSeconds * 1000 / count);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void handshakeOnce(TlsNode a, TlsNode b) throws IOException, InterruptedException {
        PeerConnection connection = a.dial(b);
        TlsNode.closeQuietly(connection.socket());
        PeerConnection accepted = b.accepted.poll(TlsNode.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (accepted == null) {
            throw new IOException("acceptor did not report the connection");
        }
        TlsNode.closeQuietly(accepted.socket());
    }

    private static String staleNode(boolean staleDials) throws Exception {
        TrustSettings settings = TrustSettings.defaults();
        int warmup = 4;
        RootHistory history = new RootHistory(settings, Instant.parse("2026-01-01T00:00:00Z"),
                warmup + settings.maxTrustRoots());
        TrustRoots stale = history.after(warmup);
        TrustRoots current = history.after(warmup + settings.maxTrustRoots());
        TestKeys.MutableClock clock = new TestKeys.MutableClock(history.time(warmup + settings.maxTrustRoots()));
        List<Long> micros = new ArrayList<>();
        List<Long> cpuMicros = new ArrayList<>();
        int attempts = 0;
        for (int run = 0; run < 21; run++) {
            try (TlsNode staleNode = new TlsNode("stale", stale, settings, clock, MEMBERS);
                    TlsNode currentNode = new TlsNode("current", current, settings, clock, MEMBERS)) {
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                PeerConnection connection = staleDials ? staleNode.dial(currentNode) : currentNode.dial(staleNode);
                micros.add((System.nanoTime() - start) / 1000);
                cpuMicros.add((processCpuNanos() - cpuStart) / 1000);
                attempts = connection.attempts();
                TlsNode.closeQuietly(connection.socket());
            }
        }
        List<Long> measured = new ArrayList<>(micros.subList(1, micros.size()));
        measured.sort(null);
        List<Long> cpu = new ArrayList<>(cpuMicros.subList(1, cpuMicros.size()));
        cpu.sort(null);
        return String.format(Locale.ROOT,
                "{\"name\": \"stale_node_finds_common_root\", \"missedRotations\": %d, \"staleDials\": %b,"
                        + " \"rootsStale\": %d, \"rootsCurrent\": %d, \"attempts\": %d, \"medianMillis\": %.2f,"
                        + " \"maxMillis\": %.2f, \"medianCpuMillis\": %.2f}",
                settings.maxTrustRoots(), staleDials, stale.size(), current.size(), attempts,
                measured.get(measured.size() / 2) / 1000.0, measured.get(measured.size() - 1) / 1000.0,
                cpu.get(cpu.size() / 2) / 1000.0);
    }
}
