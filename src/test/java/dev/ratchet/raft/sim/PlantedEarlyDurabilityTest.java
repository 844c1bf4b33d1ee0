package dev.ratchet.raft.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Proves the simulation checks the pipelined syncs of issue 14: with the planted switch every sync is
 * reported done the moment it starts, so a follower acknowledges and the leader counts entries a crash can
 * still take from their disks. Some seed of the crash mix must end in a lost acknowledged write (state
 * machine safety, leader completeness or linearizability); the very same seeds must pass when the syncs
 * are reported only after the simulated disk answered, as the driver's sync thread does.
 */
class PlantedEarlyDurabilityTest {

    private static final int MAX_SEEDS = 120;

    private static String failure(long seed, boolean planted) {
        Simulation sim = new Simulation(seed, 3, FaultMix.named("crashes"), 4_000, 3_000);
        sim.plantedEarlyDurability = planted;
        try {
            return HistoryCheck.check(sim.run().history());
        } catch (Simulation.SimulationFailure e) {
            String first = e.getMessage().lines().findFirst().orElse("");
            return planted && first.contains("liveness") ? null : first;
        }
    }

    @Test
    void reportingASyncBeforeTheDiskAnsweredIsCaughtAndTheSameSeedsPassWithoutIt() {
        long caughtAt = -1;
        String why = null;
        for (long seed = 1; seed <= MAX_SEEDS && why == null; seed++) {
            why = failure(seed, true);
            caughtAt = seed;
        }
        assertNotNull(why, "early durability went unnoticed in " + MAX_SEEDS + " seeds");
        System.out.println("planted early durability caught at seed " + caughtAt + ": " + why);
        for (long seed = 1; seed <= caughtAt; seed++) {
            assertNull(failure(seed, false), "seed " + seed + " fails without the planted bug");
        }
    }
}
