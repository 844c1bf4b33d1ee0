package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.nio.file.Files;
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
 * 64 slow handshakes held on the peer port of every node of a real 3-node cluster (half silent, half
 * dribbling a TLS record; reconnecting whenever a node closes them) while roots rotate and clients
 * write: the leader keeps its term, writes keep committing, the acceptors' "share no root" error never
 * fires; then the leader is killed with the connections still open: a new leader takes over, writes
 * resume, and the killed node comes back and catches up through the flooded peer ports.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowHandshakeFailoverTest {

    private static final int SLOW_PER_NODE = 64;
    /** Four addresses no node uses: 16 connections each, the default per-address limit. */
    private static final List<String> SOURCES = List.of("127.0.3.1", "127.0.3.2", "127.0.3.3", "127.0.3.4");
    /** Longer than the 10 s handshake deadline twice over, and than two root rotations. */
    private static final Duration HOLD = Duration.ofSeconds(25);

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;
    private final List<SlowHandshakes> floods = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-slow-handshakes", 3, FailoverScenario.FAST_ROTATION).start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 11);
    }

    @AfterAll
    void stopCluster() {
        List<AutoCloseable> all = new ArrayList<>(floods);
        all.addAll(List.of(workload, watch, cluster));
        FailoverScenario.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    @Order(1)
    void theLeaderKeepsItsTermAndWritesCommitUnderSlowHandshakes() throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        long term = LocalCluster.cluster(leader).path("term").asLong();
        for (NodeProcess n : cluster.nodes()) {
            floods.add(new SlowHandshakes(n.peerPort(), SLOW_PER_NODE, SOURCES));
        }
        await("all slow connections open").atMost(Timeouts.seconds(30))
                .until(() -> floods.stream().allMatch(f -> f.connects() >= SLOW_PER_NODE));
        long writesBefore = workload.okWrites();
        long started = System.nanoTime();
        while (System.nanoTime() - started < HOLD.toNanos()) {
            FailoverScenario.awaitWrites(workload, 10);
            assertThat(LocalCluster.cluster(leader).path("term").asLong()).as("the leader's term").isEqualTo(term);
            assertThat(LocalCluster.cluster(leader).path("role").asString()).isEqualTo("LEADER");
        }
        assertThat(workload.okWrites() - writesBefore).as("writes committed while held").isGreaterThan(50);
        assertThat(watch.termsWithLeader()).as("terms seen: %s", watch.describe()).isEqualTo(1);
        // The deadline cut every held connection at least once (they reconnect at once).
        assertThat(floods).allSatisfy(f -> assertThat(f.closedByNode()).isGreaterThanOrEqualTo(SLOW_PER_NODE));
        assertNoShareNoRootError();
    }

    @Test
    @Order(2)
    void aKilledLeaderIsReplacedAndComesBackWhileTheConnectionsStayOpen() throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        long writesBefore = workload.okWrites();
        long killedAt = System.nanoTime();
        leader.kill();
        NodeProcess next = await("a new leader after killing " + leader.id()).atMost(Timeouts.seconds(15))
                .pollInterval(Duration.ofMillis(20)).until(() -> FailoverScenario.leaderAmong(cluster, leader), n -> n != null);
        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
        await("writes after the kill").atMost(Timeouts.seconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> workload.okWrites() > writesBefore + 5);
        long writingMs = (System.nanoTime() - killedAt) / 1_000_000;
        leader.start();
        cluster.awaitReady(leader);
        long backMs = (System.nanoTime() - killedAt) / 1_000_000;
        String line = "%d slow handshakes per node: %s -> %s, leader after %d ms, writes after %d ms, %s ready after %d ms"
                .formatted(SLOW_PER_NODE, leader.id(), next.id(), electedMs, writingMs, leader.id(), backMs);
        System.out.println(line);
        Files.writeString(cluster.root().resolve("failover-times.txt"), line + "\n");
        assertThat(next.id()).isNotEqualTo(leader.id());
        assertNoShareNoRootError();
    }

    @Test
    @Order(3)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
        for (SlowHandshakes f : floods) {
            f.close();
        }
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }

    /** Junk must not move an acceptor's root ratchet, so its wrap-around error must never appear. */
    private void assertNoShareNoRootError() throws Exception {
        for (NodeProcess n : cluster.nodes()) {
            assertThat(Files.readString(n.logFile())).as("log of %s", n.id()).doesNotContain("peers may share no root");
        }
    }
}
