package dev.ratchet.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.linearizability.CheckResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Performance sanity: histories of the size a failover test records check well inside a generous
 * budget. The times are printed, not asserted; the budget only separates "slow" from "hopeless".
 */
class CheckerPerformanceTest {

    private static final KvModel KV = new KvModel();
    private static final Duration BUDGET = Duration.ofSeconds(System.getenv("CI") == null ? 60 : 180);

    @Test
    void tenThousandOperationsOverFiftyKeysAndTenClients() {
        List<Op<KvInput, KvOutput>> ops = SimulatedKvClients.run(
                new SimulatedKvClients.Config(10, 50, 10_000, 20, 2), 20261125L);

        CheckResult result = timed("10k ops, 50 keys, 10 clients, 2% unknown", ops);

        assertThat(result.outcome()).as(result.explanation()).isEqualTo(Outcome.LINEARIZABLE);
        assertThat(result.partitions()).isEqualTo(50);
    }

    @Test
    void tenThousandOperationsWithOneImpossibleReadAreRejected() {
        List<Op<KvInput, KvOutput>> ops = new ArrayList<>(SimulatedKvClients.run(
                new SimulatedKvClients.Config(10, 50, 10_000, 20, 2), 7L));
        int victim = ops.size() - 1;
        while (!(ops.get(victim).input() instanceof KvInput.Get) || ops.get(victim).isInfo()) {
            victim--;
        }
        Op<KvInput, KvOutput> read = ops.get(victim);
        ops.set(victim, Op.ok(read.id(), read.clientId(), read.input(), KvOutput.read("never-written"),
                read.invokeTime(), read.returnTime()));

        CheckResult result = timed("10k ops, 50 keys, one impossible read", ops);

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
        assertThat(result.explanation()).contains("#" + read.id() + " ");
    }

    @Test
    void fiveHundredOperationsOnOneHotKeyWithTenClients() {
        // Unknown outcomes on one busy key are the checker's expensive case: keep this one small.
        List<Op<KvInput, KvOutput>> ops = SimulatedKvClients.run(
                new SimulatedKvClients.Config(10, 1, 500, 20, 5), 42L);

        CheckResult result = timed("500 ops, 1 key, 10 clients, 5% unknown", ops);

        assertThat(result.outcome()).as(result.explanation()).isEqualTo(Outcome.LINEARIZABLE);
    }

    private static CheckResult timed(String name, List<Op<KvInput, KvOutput>> ops) {
        CheckResult result = LinearizabilityChecker.check(KV, ops, BUDGET);
        System.out.printf("[linearizability benchmark] %s: %s in %d ms, %d states%n",
                name, result.outcome(), result.elapsed().toMillis(), result.visitedStates());
        return result;
    }
}
