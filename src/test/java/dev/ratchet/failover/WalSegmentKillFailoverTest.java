package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SIGKILL during write batches that cross WAL segments (issue 12, item 4): 64 KB segments and 16 KiB
 * values from five clients, so nearly every batch a node writes rolls over at least one segment. The
 * leader is killed under that load, and a follower is killed while it writes the large catch-up batches
 * it gets after being away. Each must restart by itself (a WAL whose new segment outlived the old one's
 * tail used to stop it at replay), and every acknowledged write must be everywhere at the end.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalSegmentKillFailoverTest {

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-wal-segment-kill", 3, List.of("--ratchet.raft.wal-segment-size=64KB",
                "--ratchet.trust.root-cert-expire=180s", "--ratchet.trust.max-trust-roots=3",
                "--ratchet.trust.cert-grace=1s"));
        // Unique 16-KiB values pile up: 55-65 MB by the end, at the document quota of a 256-MB heap (a quarter
        // of it). There the serial collector thrashed: in a local CI run writes were refused, requests timed out
        // and a snapshot install took three minutes; in CI on f5cdaef a node was not ready in time. A 512-MB
        // heap keeps the data at half the quota, so what this measures is segment roll-over.
        cluster.nodes().forEach(n -> n.heap("512m"));
        cluster.start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 53);
        workload.uniqueValueSize(16 * 1024);
    }

    @AfterAll
    void stopCluster() throws Exception {
        FailoverScenario.saveReportAndCloseAll("wal-segment-kill-report.txt", report, workload, watch, cluster);
    }

    @Test
    @Order(1)
    void aLeaderKilledWhileItsBatchesCrossSegmentsRestartsByItself() throws Exception {
        for (int k = 0; k < 2; k++) {
            NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
            FailoverScenario.awaitWrites(workload, 40);
            long segments = segments(leader);
            leader.kill();
            leader.start();
            cluster.awaitReady(leader);
            report.add("leader %s killed with %d WAL segments written; restarted and ready".formatted(leader.id(), segments));
            System.out.println(report.get(report.size() - 1));
            assertThat(segments).as("the writes crossed WAL segments").isGreaterThan(3);
        }
    }

    @Test
    @Order(2)
    void aFollowerKilledDuringItsCatchUpBatchesRestartsByItself() throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        NodeProcess follower = FailoverScenario.otherThan(cluster, leader);
        follower.stop();
        long before = walBytes(follower);
        long writes = workload.okWrites();
        // About 3 MiB the follower lacks: catch-up batches of up to 1 MiB, each across many 64 KB segments.
        await("writes while the follower is away").atMost(Timeouts.seconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> workload.okWrites() > writes + 200);
        follower.start();
        // Kill as soon as its WAL grows: the catch-up batches are being written.
        await("the follower writes its catch-up").atMost(Timeouts.seconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> walBytes(follower) > before + 256 * 1024);
        follower.kill();
        long atKill = walBytes(follower);
        follower.start();
        cluster.awaitReady(follower);
        report.add("follower %s killed during catch-up with %d of its WAL bytes written since it came back; restarted and ready"
                .formatted(follower.id(), atKill - before));
        System.out.println(report.get(report.size() - 1));
    }

    @Test
    @Order(3)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }

    private static Path walDir(NodeProcess n) {
        return n.dataDir().resolve("raft").resolve("wal");
    }

    private static long segments(NodeProcess n) throws IOException {
        // Compaction deletes old segments: the highest sequence counts every segment ever started.
        try (Stream<Path> files = Files.list(walDir(n))) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.matches("wal-\\d{20}\\.log"))
                    .mapToLong(f -> Long.parseLong(f.substring(4, 24))).max().orElse(0) + 1;
        }
    }

    private static long walBytes(NodeProcess n) throws IOException {
        Path dir = walDir(n);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
