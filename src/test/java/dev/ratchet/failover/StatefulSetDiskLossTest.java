package dev.ratchet.failover;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The StatefulSet case of issue 12: pod-0 and then pod-2 each lose their volume while clients run, and
 * come back with the same id and the chart's settings (pod-0 keeps {@code ratchet.bootstrap=true}; every
 * pod has the seeds as join addresses). Zero acknowledged writes lost, back to three voters with no
 * operator. Pod-0, empty, asks the seeds before it founds anything and joins the cluster they run (one
 * cluster, ever); incarnations keep both new members from voting as the ones they replace.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetDiskLossTest {

    private static final List<String> SLOW_ROTATION = List.of("--ratchet.trust.root-cert-expire=180s",
            "--ratchet.trust.max-trust-roots=3", "--ratchet.trust.cert-grace=1s");
    private static final Duration HEAL = Timeouts.seconds(90);

    private LocalCluster cluster;
    private KvWorkload workload;
    private LeaderWatch watch;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("failover-statefulset", 3, SLOW_ROTATION).start();
        watch = new LeaderWatch(cluster.nodes());
        workload = FailoverScenario.startWorkload(cluster, 31);
    }

    @AfterAll
    void stopCluster() throws Exception {
        FailoverScenario.saveReportAndCloseAll("statefulset-report.txt", report, workload, watch, cluster);
    }

    @Test
    @Order(1)
    void pod0LosesItsVolumeAndRejoinsInsteadOfFoundingAnotherCluster() throws Exception {
        loseVolume(cluster.node(1));
    }

    @Test
    @Order(2)
    void pod2LosesItsVolumeAndIsReplacedByItsNewIncarnation() throws Exception {
        loseVolume(cluster.node(3));
    }

    @Test
    @Order(3)
    void everyAcknowledgedWriteIsEverywhereAndTheHistoryIsLinearizable() throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        FailoverScenario.awaitWrites(workload, 20);
        workload.stop();
        FailoverChecks.verify(cluster, workload, watch);
    }

    private void loseVolume(NodeProcess pod) throws Exception {
        FailoverScenario.awaitHealthy(cluster);
        String old = Incarnations.raftId(pod);
        long started = System.nanoTime();
        Incarnations.wipe(pod);
        // What the chart gives every pod: the seeds to join through (and pod-0 keeps bootstrap=true).
        pod.start("--ratchet.join-addresses=" + String.join(",",
                cluster.nodes().stream().map(NodeProcess::baseUrl).toList()));
        String fresh = Incarnations.awaitReplaced(cluster, pod, old, 3, HEAL);
        cluster.awaitReady(pod);
        FailoverScenario.awaitWrites(workload, 20);
        assertThat(LocalCluster.voters(FailoverScenario.awaitHealthy(cluster))).hasSize(3);
        report.add("%s lost its volume: %s replaced by %s, 3 voters after %d ms".formatted(pod.id(), old, fresh,
                (System.nanoTime() - started) / 1_000_000));
        System.out.println(report.get(report.size() - 1));
    }
}
