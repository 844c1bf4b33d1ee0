package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The one start-up decision, case by case: only an empty founder asks the seeds, and it joins whenever
 * one of them has a cluster.
 */
class StartupPlanTest {

    private static StartupPlan.Action decide(boolean empty, boolean bootstrap, boolean roots, boolean expired,
            boolean joinAddresses) {
        return StartupPlan.decide(new StartupPlan.Facts(empty, bootstrap, roots, expired, joinAddresses, Path.of("d"),
                Path.of("d/trust/roots.bin"), false)).action();
    }

    private static StartupPlan.Action decideWithSeeds(boolean empty, boolean bootstrap, boolean seedHasCluster) {
        return StartupPlan.decide(new StartupPlan.Facts(empty, bootstrap, !empty, false, true, Path.of("d"),
                Path.of("d/trust/roots.bin"), seedHasCluster)).action();
    }

    @Test
    void onlyAnEmptyDirectoryWithBootstrapCreatesACluster() {
        assertThat(decide(true, true, false, false, false)).isEqualTo(StartupPlan.Action.BOOTSTRAP);
        assertThat(decide(true, true, false, false, true)).isEqualTo(StartupPlan.Action.BOOTSTRAP);
        assertThat(decide(false, true, true, false, false)).isEqualTo(StartupPlan.Action.USE_LOCAL_ROOTS);
        assertThat(decide(true, false, false, false, true)).isEqualTo(StartupPlan.Action.JOIN);
    }

    @Test
    void onlyAnEmptyFounderAsksTheSeeds() {
        assertThat(StartupPlan.asksSeeds(true, true)).isTrue();
        assertThat(StartupPlan.asksSeeds(true, false)).isFalse();
        assertThat(StartupPlan.asksSeeds(false, true)).isFalse();
    }

    @Test
    void anEmptyFounderJoinsWhenASeedHasAClusterAndFoundsOtherwise() {
        assertThat(decideWithSeeds(true, true, true)).isEqualTo(StartupPlan.Action.JOIN);
        assertThat(decideWithSeeds(true, true, false)).isEqualTo(StartupPlan.Action.BOOTSTRAP);
        assertThat(decideWithSeeds(false, true, false)).isEqualTo(StartupPlan.Action.USE_LOCAL_ROOTS);
    }

    @Test
    void expiredOrMissingRootsAreFetchedWhenThereIsAnAddress() {
        assertThat(decide(false, false, true, true, true)).isEqualTo(StartupPlan.Action.REFRESH_ROOTS);
        assertThat(decide(false, false, true, true, false)).isEqualTo(StartupPlan.Action.USE_LOCAL_ROOTS);
        assertThat(decide(false, false, false, false, true)).isEqualTo(StartupPlan.Action.REFRESH_ROOTS);
    }

    @Test
    void nothingToDoFailsWithTheProperties() {
        StartupPlan plan = StartupPlan.decide(new StartupPlan.Facts(true, false, false, false, false, Path.of("d"),
                Path.of("r"), false));
        assertThat(plan.action()).isEqualTo(StartupPlan.Action.FAIL);
        assertThat(plan.reason()).contains("ratchet.join-addresses").contains("ratchet.bootstrap=true");
        assertThat(decide(false, false, false, false, false)).isEqualTo(StartupPlan.Action.FAIL);
    }
}
