package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one start-up decision: only an empty founder asks the seeds, and it joins whenever one has a cluster. */
class StartupPlanTest {

    static StartupPlan decide(boolean empty, boolean bootstrap, boolean seedHasCluster, boolean joinAddresses) {
        return StartupPlan.decide(new StartupPlan.Facts(empty, bootstrap, !empty, false, joinAddresses,
                Path.of("/data"), Path.of("/data/trust/roots.bin"), seedHasCluster));
    }

    @Test
    void onlyAnEmptyFounderAsksTheSeeds() {
        assertThat(StartupPlan.asksSeeds(true, true)).isTrue();
        assertThat(StartupPlan.asksSeeds(true, false)).isFalse();
        assertThat(StartupPlan.asksSeeds(false, true)).isFalse();
    }

    @Test
    void anEmptyFounderJoinsWhenASeedHasAClusterAndFoundsOtherwise() {
        assertThat(decide(true, true, true, true).action()).isEqualTo(StartupPlan.Action.JOIN);
        assertThat(decide(true, true, false, true).action()).isEqualTo(StartupPlan.Action.BOOTSTRAP);
        assertThat(decide(true, true, false, false).action()).isEqualTo(StartupPlan.Action.BOOTSTRAP);
    }

    @Test
    void directoriesWithDataAndNonFoundersDecideAsBefore() {
        assertThat(decide(false, true, false, true).action()).isEqualTo(StartupPlan.Action.USE_LOCAL_ROOTS);
        assertThat(decide(true, false, false, true).action()).isEqualTo(StartupPlan.Action.JOIN);
        assertThat(decide(true, false, false, false).action()).isEqualTo(StartupPlan.Action.FAIL);
    }
}
