package dev.ratchet.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation over many seeds ({@code -Dratchet.sim.seeds}, default 500, after
 * {@code -Dratchet.sim.seed-offset}, default 0; {@code -Psoak}
 * 5000) or one seed ({@code -Dratchet.sim.seed=N}). Every run checks the Raft invariants after every event,
 * liveness after healing, and the clients' history for linearizability; a history the checker cannot
 * decide fails the run too.
 */
class RaftSimulationTest {

    static List<Long> seeds() {
        String one = System.getProperty("ratchet.sim.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        int count = Integer.getInteger("ratchet.sim.seeds", 500);
        // tools/multitest.sh and the CI matrix run disjoint seed ranges: offset+1 .. offset+count.
        long offset = Long.getLong("ratchet.sim.seed-offset", 0L);
        return LongStream.rangeClosed(offset + 1, offset + count).boxed().toList();
    }

    @Test
    void aSeedReplaysExactly() {
        Simulation.Result first = Simulation.forSeed(4242).run();
        Simulation.Result second = Simulation.forSeed(4242).run();
        org.assertj.core.api.Assertions.assertThat(second.events()).isEqualTo(first.events());
        org.assertj.core.api.Assertions.assertThat(second.history().events()).isEqualTo(first.history().events());
        org.assertj.core.api.Assertions.assertThat(second.trace()).isEqualTo(first.trace());
    }

    @Test
    void everySeedKeepsSafetyLivenessAndLinearizability() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Simulation.Result> results = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong undecidedKeys = new java.util.concurrent.atomic.AtomicLong();
        long startNanos = System.nanoTime();
        java.time.Duration startCpu = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            pool.submit(() -> seeds().parallelStream().forEach(seed -> {
                try {
                    Simulation.Result r = Simulation.forSeed(seed).run();
                    dev.ratchet.linearizability.CheckResult checked = HistoryCheck.checkResult(r.history());
                    undecidedKeys.addAndGet(checked.undecided());
                    String verdict = HistoryCheck.verdict(checked);
                    if (verdict != null) {
                        failures.add("seed " + seed + " (" + r.mix().name() + ", " + r.nodes() + " nodes): " + verdict
                                + "\n  replay: ./mvnw -q test -Dtest=RaftSimulationTest -Dratchet.sim.seed=" + seed
                                + "\n  trace:\n" + r.trace());
                    }
                    results.add(r);
                } catch (Simulation.SimulationFailure e) {
                    failures.add(e.getMessage());
                }
            })).get();
        } finally {
            pool.shutdown();
        }
        if (!failures.isEmpty()) {
            failures.stream().limit(3).forEach(System.err::println);
            fail(failures.size() + " of " + seeds().size() + " seeds failed; first: " + failures.get(0));
        }
        long oks = results.stream().mapToLong(r -> r.history().oks).sum();
        long infos = results.stream().mapToLong(r -> r.history().infos).sum();
        long events = results.stream().mapToLong(Simulation.Result::events).sum();
        // CPU time says what the run costs on an idle machine (two worker threads: wall time about half of it).
        java.time.Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO)
                .minus(startCpu);
        System.out.printf("simulated %d seeds in %.1f s wall, %.1f s CPU: %d events, %d ok ops, %d unknown ops,"
                + " %d keys undecided%n", results.size(), (System.nanoTime() - startNanos) / 1e9, cpu.toMillis() / 1e3,
                events, oks, infos, undecidedKeys.get());
        assertTrue(oks > results.size() * 10L, "clients made progress: " + oks + " ok operations");
        if (results.size() >= 100) {
            // The fault mixes must actually exercise the features they are meant to.
            java.util.Map<String, Long> byType = new java.util.TreeMap<>();
            results.forEach(r -> r.sentByType().forEach((k, v) -> byType.merge(k, v, Long::sum)));
            long confChanges = results.stream().mapToLong(Simulation.Result::confChangesApplied).sum();
            System.out.println("messages by type: " + byType + ", conf changes applied: " + confChanges);
            for (String type : List.of("InstallSnapshot", "TimeoutNow", "PreVote", "Vote", "Heartbeat")) {
                assertTrue(byType.getOrDefault(type, 0L) > 0, type + " never sent");
            }
            assertTrue(confChanges > 0, "no membership change was ever applied");
            long wipes = results.stream().mapToLong(r -> r.stats().wipes()).sum();
            long torn = results.stream().mapToLong(r -> r.stats().tornAppends()).sum();
            long triedAtElection = results.stream().mapToLong(r -> r.stats().confChangesTriedAtElection()).sum();
            long atElection = results.stream().mapToLong(r -> r.stats().confChangesAtElection()).sum();
            long replaced = results.stream().mapToLong(r -> r.stats().replacementsPromoted()).sum();
            long even = results.stream().mapToLong(r -> r.stats().evenVoterConfigs()).sum();
            long races = results.stream().mapToLong(r -> r.stats().reconfigRaces()).sum();
            long grown = results.stream().filter(r -> r.stats().evenVoterConfigs() > 0 && r.nodes() == 5).count();
            System.out.printf("disk losses %d (replaced and promoted %d), torn appends kept by a crash %d, conf changes"
                    + " tried by a new leader at once %d (accepted at its first chance %d), even-sized voter sets entered"
                    + " %d (in %d five-server runs), reconfiguration races lined up %d%n", wipes, replaced, torn,
                    triedAtElection, atElection, even, grown, races);
            assertTrue(wipes > 0 && replaced > 0, "disk loss and replacement never happened");
            assertTrue(torn > 0, "no crash ever kept part of an append");
            assertTrue(triedAtElection > 0 && atElection > 0, "no conf change right after an election");
            assertTrue(even > 0, "no even-sized configuration");
            assertTrue(races > 0, "no reconfiguration race lined up");
            long failedForces = results.stream().mapToLong(r -> r.stats().failedForces()).sum();
            System.out.printf("pipelined forces failed (the node must stop, not trust a later fsync) %d%n", failedForces);
            assertTrue(failedForces > 0, "no force ever failed");
            long local = results.stream().mapToLong(r -> r.stats().localSnapshots()).sum();
            long dropped = results.stream().mapToLong(r -> r.stats().droppedLocalSnapshots()).sum();
            System.out.printf("local snapshots adopted %d, dropped because a newer one was installed while the file"
                    + " was written %d%n", local, dropped);
            assertTrue(local > 0 && dropped > 0, "local snapshots were never adopted, or never overtaken by an install");
        }
    }
}
