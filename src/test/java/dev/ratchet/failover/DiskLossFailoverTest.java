package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node that loses its data directory (issue 12, items 1-2: node incarnations) on three real processes
 * with mutual TLS, fsync and clients running, while roots rotate every minute. A node restarted empty is
 * a new incarnation ({@code <id>~<incarnation>} as Raft id): it joins as a learner, its old incarnation
 * leaves by a committed change once the leader has not heard from it for
 * {@code ratchet.membership.replace-after} (here the default, 10 election timeouts = 5 s), and it is then
 * promoted. It never votes or counts toward a quorum under the old one.
 * <ol>
 *   <li>a wiped follower heals by itself;</li>
 *   <li>a wiped follower while the other follower is down: the cluster stays unavailable (no write is
 *       acknowledged) rather than count the empty node, and heals when the voter returns;</li>
 *   <li>the issue's reproduction of Raft amnesia: B stopped, X acknowledged by L (committed on L and C),
 *       L killed, C wiped, B and C restarted (C joining through B): X must never read as absent, and
 *       survives once L is back.</li>
 * </ol>
 * Node 1 bootstraps the cluster, so only nodes 2 and 3 are wiped here (a wiped bootstrap node is the
 * "one cluster, ever" start-up check's case).
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskLossFailoverTest {

    /**
     * Roots live 180 s, a new one every 60 s: each scenario keeps a majority down for up to ~40 s, and a
     * cluster whose every root expires while it has no quorum cannot rotate and stays down (with the
     * failover suite's 21 s roots it would), which is not what these scenarios are about.
     */
    private static final List<String> SLOW_ROTATION = List.of("--ratchet.trust.root-cert-expire=180s",
            "--ratchet.trust.max-trust-roots=3", "--ratchet.trust.cert-grace=1s");

    /** Replace-after (5 s) plus a join and a catch-up, generously: the replacement must finish within it. */
    private static final Duration HEAL = Timeouts.seconds(90);

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-disk-loss", 3, SLOW_ROTATION).start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 21);
    }

    @AfterAll
    void stopCluster() throws Exception {
        FailoverScenario.saveReportAndCloseAll("disk-loss-report.txt", report, workload, watch, cluster);
    }

    @Test
    @Order(1)
    void aWipedFollowerComesBackAsANewIncarnationAndReplacesItsOldOne() throws Exception {
        lead(cluster.node(1));
        NodeProcess victim = cluster.node(3);
        String old = Incarnations.raftId(victim);
        long started = System.nanoTime();
        Incarnations.wipe(victim);
        victim.start();

        String fresh = Incarnations.awaitReplaced(cluster, victim, old, 3, HEAL);
        cluster.awaitReady(victim);
        FailoverScenario.awaitWrites(workload, 20);
        report.add("(a) wiped follower %s: %s replaced by %s, 3 voters again after %d ms".formatted(victim.id(), old,
                fresh, (System.nanoTime() - started) / 1_000_000));
        System.out.println(report.get(report.size() - 1));
        assertThat(Files.readString(victim.logFile())).contains("starts a new incarnation");
    }

    @Test
    @Order(2)
    void aWipedFollowerWhileAnotherVoterIsDownLeavesTheClusterUnavailableUntilTheVoterReturns() throws Exception {
        NodeProcess survivor = lead(cluster.node(1));
        NodeProcess down = cluster.node(2);
        NodeProcess wiped = cluster.node(3);
        String old = Incarnations.raftId(wiped);
        down.kill();
        Incarnations.wipe(wiped);
        wiped.start();
        // Writes in flight when the second node died may still be acknowledged; after that, none may be:
        // one voter of three is no quorum, and the empty node must not count as the old one.
        await().pollDelay(Timeouts.seconds(2)).atMost(Timeouts.seconds(5)).until(() -> true);
        long acked = workload.okWrites();
        long quietUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < quietUntil) {
            assertThat(workload.okWrites()).as("writes acknowledged without a quorum").isEqualTo(acked);
            assertThat(Incarnations.voterIds(survivor)).as("the empty node is never a voter")
                    .doesNotContain(Incarnations.raftId(wiped));
            assertThat(wiped.isReady()).as("the wiped node is not ready while it cannot be admitted").isFalse();
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        }
        report.add("(b) %s down and %s wiped: 0 writes acknowledged in 15 s; %s waits: %s".formatted(down.id(),
                wiped.id(), wiped.id(), lastWaitLine(wiped)));
        System.out.println(report.get(report.size() - 1));

        long started = System.nanoTime();
        down.start();
        String fresh = Incarnations.awaitReplaced(cluster, wiped, old, 3, HEAL);
        cluster.awaitReady(wiped);
        FailoverScenario.awaitWrites(workload, 20);
        report.add("(b) %s back: %s replaced by %s after %d ms".formatted(down.id(), old, fresh,
                (System.nanoTime() - started) / 1_000_000));
        System.out.println(report.get(report.size() - 1));
    }

    @Test
    @Order(3)
    void theIssuesAmnesiaReproductionLosesNoAcknowledgedWrite() throws Exception {
        NodeProcess b = cluster.node(1);
        NodeProcess l = lead(cluster.node(2));
        NodeProcess c = cluster.node(3);
        String oldC = Incarnations.raftId(c);
        b.kill();
        String key = "amnesia-x";
        await("X acknowledged by " + l.id() + " with " + c.id()).atMost(Timeouts.seconds(30))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> l.put("/api/v1/kv/" + key, "X").statusCode() / 100 == 2);
        l.kill();
        Incarnations.wipe(c);
        b.start();
        c.start();
        // B alone (and C, empty) must not serve: a linearizable read of X answers 503, never 404.
        List<Integer> codes = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            for (NodeProcess n : List.of(b, c)) {
                int code = status(n, "/api/v1/kv/" + key);
                codes.add(code);
                assertThat(code).as("linearizable GET of X on %s while L is down", n.id()).isNotIn(200, 404);
            }
            await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(2)).until(() -> true);
        }
        report.add("(c) B and empty C without L for 20 s: answers to a GET of X " + new TreeSet<>(codes));
        l.start();
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        String fresh = Incarnations.awaitReplaced(cluster, c, oldC, 3, HEAL);
        for (NodeProcess n : cluster.nodes()) {
            await("X on " + n.id()).atMost(Timeouts.seconds(30)).ignoreExceptions()
                    .until(() -> "X".equals(n.get("/api/v1/kv/" + key).body()));
        }
        report.add("(c) L back: X readable on every node; leader %s; %s replaced by %s".formatted(leader.id(), oldC, fresh));
        System.out.println(String.join("\n", report.subList(report.size() - 2, report.size())));
    }

    @Test
    @Order(4)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }

    /** Makes {@code n} the leader (transferring leadership to it) and returns it. */
    private NodeProcess lead(NodeProcess n) throws Exception {
        NodeProcess leader = FailoverScenario.awaitHealthy(cluster);
        if (leader != n) {
            await("leadership moved to " + n.id()).atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        NodeProcess now = FailoverScenario.leaderAmong(cluster, null);
                        if (now == n) {
                            return true;
                        }
                        if (now != null) {
                            FailoverScenario.admin(now, "POST", "/api/v1/admin/leadership/transfer?to=" + n.id());
                        }
                        return false;
                    });
        }
        return FailoverScenario.awaitHealthy(cluster);
    }

    private static int status(NodeProcess n, String path) {
        try {
            return n.get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String lastWaitLine(NodeProcess n) throws IOException {
        return Files.readAllLines(n.logFile()).stream().filter(l -> l.contains("waiting to join"))
                .reduce((a, b) -> b).orElse("(no waiting line)");
    }
}
