package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The leader is killed with SIGKILL again and again while roots rotate every 7-9 s and clients write:
 * each time a new leader must take over within a bound, writes must resume, and the killed node must
 * come back as a follower (its roots may be older than the cluster's by then). The kill count is
 * {@code -Dratchet.failover.kills} (default 3); the times are printed and kept in the scenario's folder.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderKillFailoverTest {

    private static final int KILLS = Integer.getInteger("ratchet.failover.kills", 3);

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-leader-kill", 3, FailoverScenario.FAST_ROTATION).start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 3);
    }

    @AfterAll
    void stopCluster() {
        FailoverScenario.closeAll(workload, watch, cluster);
    }

    @Test
    @Order(1)
    void aKilledLeaderIsReplacedEveryTime() throws Exception {
        List<String> samples = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
            FailoverScenario.awaitWrites(workload, 10);
            long writesBefore = workload.okWrites();
            long killedAt = System.nanoTime();
            leader.kill();
            NodeProcess next = await("a new leader after killing " + leader.id()).atMost(Timeouts.seconds(15))
                    .pollInterval(Duration.ofMillis(20)).until(() -> FailoverScenario.leaderAmong(cluster, leader), n -> n != null);
            long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
            await("writes after the kill").atMost(Timeouts.seconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> workload.okWrites() > writesBefore + 5);
            long writingMs = (System.nanoTime() - killedAt) / 1_000_000;
            samples.add("kill %d: %s -> %s, leader after %d ms, writes flowing after %d ms"
                    .formatted(k + 1, leader.id(), next.id(), electedMs, writingMs));
            System.out.println(samples.get(samples.size() - 1));
            assertThat(next.id()).isNotEqualTo(leader.id());
            leader.start();
            cluster.awaitReady(leader);
        }
        java.nio.file.Files.write(cluster.root().resolve("failover-times.txt"), samples);
    }

    @Test
    @Order(2)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }
}
