package dev.ratchet.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ratchet.linearizability.CheckResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves the simulation and the linearizability checker can see a real bug: with the planted test-only
 * switch, a node that believes it leads answers reads from its local state without a ReadIndex round, so a
 * deposed leader cut off by a partition serves stale values. Check-quorum is off in these runs so that the
 * deposed leader keeps believing it leads for the whole partition (with it on, the stale window is only a
 * few ticks wide). The checker must flag some seed; the same runs without the bug must pass.
 */
class PlantedBugTest {

    @Test
    void localReadsOnADeposedLeaderAreCaughtAsNonLinearizable() {
        FaultMix partitions = FaultMix.ALL.stream().filter(m -> m.name().equals("partitions")).findFirst().orElseThrow();
        List<Long> caught = new ArrayList<>();
        long seed = 1;
        for (; seed <= 60 && caught.isEmpty(); seed++) {
            Simulation sim = new Simulation(seed, 3, partitions, 4_000, 1_000);
            sim.plantedLocalReads = true;
            sim.checkQuorum = false;
            Simulation.Result r = sim.run();
            CheckResult verdict = HistoryCheck.checkResult(r.history());

            if (verdict.outcome() == CheckResult.Outcome.NOT_LINEARIZABLE) {
                caught.add(seed);
                System.out.println("planted bug caught at seed " + seed + ": " + verdict.explanation().lines().findFirst().orElse(""));
            }
        }
        assertTrue(!caught.isEmpty(), "the planted stale-read bug went unnoticed in " + (seed - 1) + " seeds");
    }

    @Test
    void theSameSeedsAreLinearizableWithoutTheBug() {
        FaultMix partitions = FaultMix.ALL.stream().filter(m -> m.name().equals("partitions")).findFirst().orElseThrow();
        for (long seed = 1; seed <= 10; seed++) {
            Simulation sim = new Simulation(seed, 3, partitions, 4_000, 1_000);
            sim.checkQuorum = false;
            Simulation.Result r = sim.run();
            CheckResult verdict = HistoryCheck.checkResult(r.history());
            assertTrue(verdict.outcome() == CheckResult.Outcome.LINEARIZABLE, "seed " + seed + ": " + verdict);
        }
    }
}
