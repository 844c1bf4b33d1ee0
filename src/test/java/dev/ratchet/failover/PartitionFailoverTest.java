package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Network partitions between real node processes, through {@link FaultyNetwork} proxies on loopback,
 * while roots rotate every 7-9 s and clients keep reading and writing. After each fault heals, the
 * cluster must have one leader and keep taking writes; at the end every acknowledged write is on every
 * node, the history is linearizable and no term had two leaders.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionFailoverTest {

    private LocalCluster cluster;
    private FaultyNetwork network;
    private KvWorkload workload;
    private LeaderWatch watch;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.proxied("failover-partition", 3, FailoverScenario.FAST_ROTATION);
        network = new FaultyNetwork(cluster);
        cluster.start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 7);
    }

    @AfterAll
    void stopCluster() throws Exception {
        FailoverScenario.closeAll(workload, watch, network, cluster);
    }

    @Test
    @Order(1)
    void anIsolatedLeaderIsReplacedAndRejoinsAsFollower() throws Exception {
        NodeProcess old = cluster.awaitLeader();
        network.isolate(old.id());
        NodeProcess fresh = await("a leader on the majority side").atMost(Timeouts.seconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> FailoverScenario.leaderAmong(cluster, old), n -> n != null);
        assertThat(fresh.id()).isNotEqualTo(old.id());
        FailoverScenario.awaitWrites(workload, 20);
        // Check-quorum: the cut-off leader must notice it lost its followers and stop leading.
        await("the isolated leader steps down").atMost(Timeouts.seconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"LEADER".equals(LocalCluster.cluster(old).path("role").asString()));
        network.healAll();
        FailoverScenario.awaitHealthy(cluster);
    }

    @Test
    @Order(2)
    void aOneWayCutFromTheLeaderEndsItsTerm() throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        for (NodeProcess n : cluster.nodes()) {
            if (n != leader) {
                network.cut(leader.id(), n.id());
            }
        }
        // Followers hear nothing, so they elect among themselves; the old leader still hears them.
        await("a new leader after a one-way cut").atMost(Timeouts.seconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> FailoverScenario.leaderAmong(cluster, leader), n -> n != null);
        FailoverScenario.awaitWrites(workload, 20);
        network.healAll();
        FailoverScenario.awaitHealthy(cluster);
    }

    @Test
    @Order(3)
    void aFlappingLinkHeals() throws Exception {
        NodeProcess leader = cluster.awaitLeader();
        NodeProcess follower = FailoverScenario.otherThan(cluster, leader);
        SplittableRandom random = new SplittableRandom(11);
        long end = System.nanoTime() + Timeouts.seconds(8).toNanos();
        long toggles = 0;
        while (System.nanoTime() < end) {
            if (toggles % 2 == 0) {
                network.cutBoth(leader.id(), follower.id());
            } else {
                network.healAll();
            }
            toggles++;
            long hold = 150 + random.nextInt(600);
            long until = System.nanoTime() + hold * 1_000_000L;
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(25)).until(() -> System.nanoTime() >= until);
        }
        network.healAll();
        FailoverScenario.awaitHealthy(cluster);
        assertThat(toggles).isGreaterThan(5);
    }

    @Test
    @Order(4)
    void slowThrottledLinksAndResetsStillCommit() throws Exception {
        for (NodeProcess a : cluster.nodes()) {
            for (NodeProcess b : cluster.nodes()) {
                if (a != b) {
                    network.delay(a.id(), b.id(), Duration.ofMillis(40));
                    network.bandwidth(a.id(), b.id(), 256 * 1024);
                }
            }
        }
        long before = workload.okWrites();
        FailoverScenario.awaitWrites(workload, 30);
        NodeProcess leader = cluster.awaitLeader();
        for (int i = 0; i < 3; i++) {
            for (NodeProcess n : cluster.nodes()) {
                if (n != leader) {
                    network.reset(leader.id(), n.id());
                    network.reset(n.id(), leader.id());
                }
            }
            FailoverScenario.awaitWrites(workload, 10);
        }
        assertThat(workload.okWrites()).isGreaterThan(before);
        network.healAll();
        FailoverScenario.awaitHealthy(cluster);
    }

    @Test
    @Order(5)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitWrites(workload, 20);
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }
}
