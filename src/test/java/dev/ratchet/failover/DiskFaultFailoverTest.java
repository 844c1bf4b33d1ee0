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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Disk faults on real processes, injected from outside without any hook in the product:
 * <ul>
 *   <li>disk full on a follower: {@code prlimit --fsize} on the running process makes every write that
 *       grows a file fail as on a full file system (the WAL's preallocated space still takes writes,
 *       then the next extension fails). The follower must stop (liveness DOWN) rather than acknowledge
 *       what it could not persist; the others go on; once space is back and it is restarted, it catches
 *       up;</li>
 *   <li>a slow disk on the leader: {@code strace} delays each fsync/fdatasync of the leader by 30 ms.
 *       Writes keep committing (the followers' acknowledgements form the quorum).</li>
 * </ul>
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskFaultFailoverTest {

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-disk", 3, FailoverScenario.FAST_ROTATION).start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 13);
    }

    @AfterAll
    void stopCluster() throws Exception {
        FailoverScenario.saveReportAndCloseAll("disk-report.txt", report, workload, watch, cluster);
    }

    @Test
    @Order(1)
    void aFollowerWithAFullDiskStopsAndCatchesUpOnceSpaceIsBack() throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        NodeProcess follower = FailoverScenario.otherThan(cluster, leader);
        String pid = Long.toString(follower.pid());
        run("prlimit", "--pid", pid, "--fsize=1:");
        try {
            // Large values use up the WAL's preallocated space quickly.
            workload.uniqueValueSize(64 * 1024);
            await("the follower with a full disk reports itself not live").atMost(Timeouts.seconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> liveness(follower) == 503);
        } finally {
            workload.uniqueValueSize(64);
            if (follower.isAlive()) {
                run("prlimit", "--pid", pid, "--fsize=unlimited:");
            }
        }
        long before = workload.okWrites();
        FailoverScenario.awaitWrites(workload, 30);
        report.add("disk full on " + follower.id() + ": liveness DOWN; " + (workload.okWrites() - before)
                + " writes committed by the other two meanwhile");
        // What a kubelet does after the liveness probe fails: kill and start the container again.
        follower.kill();
        follower.start();
        cluster.awaitReady(follower);
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
    }

    @Test
    @Order(2)
    void aSlowDiskOnTheLeaderSlowsWritesButNeverStopsThem() throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        long fastStart = System.nanoTime();
        long fastBefore = workload.okWrites();
        FailoverScenario.awaitWrites(workload, 100);
        double fastRate = (workload.okWrites() - fastBefore) / ((System.nanoTime() - fastStart) / 1e9);

        Process strace = new ProcessBuilder("strace", "-f", "-qq", "-e", "trace=fdatasync,fsync",
                "-e", "inject=fdatasync,fsync:delay_exit=30000", "-o", "/dev/null", "-p", Long.toString(leader.pid()))
                .redirectErrorStream(true).redirectOutput(cluster.root().resolve("strace.log").toFile()).start();
        try {
            boolean exitedAtOnce = strace.waitFor(2, TimeUnit.SECONDS);
            Assumptions.assumeFalse(exitedAtOnce, () -> "strace cannot attach here (ptrace not permitted?): "
                    + read(cluster.root().resolve("strace.log")));
            workload.resetOutage();
            long slowStart = System.nanoTime();
            long slowBefore = workload.okWrites();
            FailoverScenario.awaitWrites(workload, 100);
            double slowRate = (workload.okWrites() - slowBefore) / ((System.nanoTime() - slowStart) / 1e9);
            report.add("leader %s with +30 ms per fsync: %.0f writes/s (before: %.0f/s), longest write gap %d ms"
                    .formatted(leader.id(), slowRate, fastRate, workload.longestWriteOutage().toMillis()));
            System.out.println(report.get(report.size() - 1));
            assertThat(workload.longestWriteOutage()).isLessThan(Timeouts.seconds(5));
        } finally {
            strace.destroy();
            if (!strace.waitFor(10, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
            }
        }
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
    }

    @Test
    @Order(3)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }

    private static int liveness(NodeProcess n) {
        try {
            return n.get("/actuator/health/liveness").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
