package dev.ratchet.raft.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Proves the simulation catches issue 12's bug 3: with the core's planted switch
 * ({@code RaftConfig.withPlantedEarlyConfChangeBug}) a new leader appends a membership change before an
 * entry of its term has committed. On four voters (an even-sized configuration) with changes proposed
 * right after elections and the {@link ReconfigRace} step, two disjoint majorities then commit different
 * entries at one index, which the invariant checker reports. The same seeds must pass with the switch off
 * (the core's rule refuses the change until its no-op commits).
 */
class PlantedEarlyConfChangeTest {

    private static final int MAX_SEEDS = 40;

    /** Why the run failed, or null; with {@code safetyOnly} a liveness failure does not count. */
    private static String failure(long seed, boolean planted, boolean safetyOnly) {
        Simulation sim = new Simulation(seed, 4, FaultMix.named("membership"), 4_000, 3_000);
        if (planted) {
            sim.configTweak = c -> c.withPlantedEarlyConfChangeBug(true);
        }
        try {
            return HistoryCheck.check(sim.run().history());
        } catch (Simulation.SimulationFailure e) {
            String first = e.getMessage().lines().findFirst().orElse("");
            return safetyOnly && first.contains("liveness") ? null : first;
        }
    }

    @Test
    void aChangeBeforeTheNewLeaderCommittedIsCaughtAndTheSameSeedsPassWithTheRule() {
        long caughtAt = -1;
        String why = null;
        for (long seed = 1; seed <= MAX_SEEDS && why == null; seed++) {
            why = failure(seed, true, true);
            caughtAt = seed;
        }
        assertNotNull(why, "the planted early conf change went unnoticed in " + MAX_SEEDS + " seeds");
        System.out.println("planted early conf change caught at seed " + caughtAt + ": " + why);
        for (long seed = 1; seed <= caughtAt; seed++) {
            assertNull(failure(seed, false, false), "seed " + seed + " fails even without the planted switch");
        }
    }
}
