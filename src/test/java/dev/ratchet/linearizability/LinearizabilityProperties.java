package dev.ratchet.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.linearizability.CheckResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over simulated histories: what a sequential store produced is always linearizable, and
 * one impossible answer spliced in always makes it not linearizable.
 */
class LinearizabilityProperties {

    private static final Duration BUDGET = Duration.ofSeconds(20);
    private static final KvModel KV = new KvModel();

    @Property(tries = 200)
    void historiesOfASequentialStoreAreLinearizable(@ForAll long seed,
                                                    @ForAll @IntRange(min = 1, max = 8) int clients,
                                                    @ForAll @IntRange(min = 1, max = 4) int keys,
                                                    @ForAll @IntRange(min = 0, max = 150) int operations,
                                                    @ForAll @IntRange(min = 0, max = 20) int maxDelay,
                                                    @ForAll @IntRange(min = 0, max = 30) int infoPercent) {
        List<Op<KvInput, KvOutput>> ops = SimulatedKvClients.run(
                new SimulatedKvClients.Config(clients, keys, operations, maxDelay, infoPercent), seed);

        CheckResult result = LinearizabilityChecker.check(KV, ops, BUDGET);

        assertThat(result.outcome()).as(result.explanation()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Property(tries = 200)
    void readingAValueNeverWrittenIsNotLinearizable(@ForAll long seed,
                                                    @ForAll @IntRange(min = 1, max = 8) int clients,
                                                    @ForAll @IntRange(min = 1, max = 4) int keys,
                                                    @ForAll @IntRange(min = 1, max = 150) int operations,
                                                    @ForAll @IntRange(min = 0, max = 30) int infoPercent) {
        List<Op<KvInput, KvOutput>> ops = new ArrayList<>(SimulatedKvClients.run(
                new SimulatedKvClients.Config(clients, keys, operations, 10, infoPercent), seed));
        List<Integer> reads = completedReads(ops);
        Assume.that(!reads.isEmpty());
        int victim = reads.get(new Random(seed).nextInt(reads.size()));
        ops.set(victim, withRead(ops.get(victim), "never-written"));

        CheckResult result = LinearizabilityChecker.check(KV, ops, BUDGET);

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
        assertThat(result.explanation()).contains("key \"" + ops.get(victim).input().key() + "\"");
    }

    @Property(tries = 200)
    void readingAValueWrittenOnlyAfterTheReadReturnedIsNotLinearizable(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int clients,
            @ForAll @IntRange(min = 1, max = 3) int keys, @ForAll @IntRange(min = 10, max = 150) int operations,
            @ForAll @IntRange(min = 0, max = 30) int infoPercent) {
        List<Op<KvInput, KvOutput>> ops = new ArrayList<>(SimulatedKvClients.run(
                new SimulatedKvClients.Config(clients, keys, operations, 10, infoPercent), seed));
        List<int[]> pairs = new ArrayList<>();
        for (int read : completedReads(ops)) {
            for (int write = 0; write < ops.size(); write++) {
                Op<KvInput, KvOutput> candidate = ops.get(write);
                if (candidate.input() instanceof KvInput.Put put && put.key().equals(ops.get(read).input().key())
                        && candidate.invokeTime() > ops.get(read).returnTime()) {
                    pairs.add(new int[] {read, write});
                }
            }
        }
        Assume.that(!pairs.isEmpty());
        int[] pair = pairs.get(new Random(seed).nextInt(pairs.size()));
        String futureValue = ((KvInput.Put) ops.get(pair[1]).input()).value();
        ops.set(pair[0], withRead(ops.get(pair[0]), futureValue));

        assertThat(LinearizabilityChecker.check(KV, ops, BUDGET).outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    }

    private static List<Integer> completedReads(List<Op<KvInput, KvOutput>> ops) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).input() instanceof KvInput.Get && !ops.get(i).isInfo()) {
                reads.add(i);
            }
        }
        return reads;
    }

    private static Op<KvInput, KvOutput> withRead(Op<KvInput, KvOutput> op, String value) {
        return Op.ok(op.id(), op.clientId(), op.input(), KvOutput.read(value), op.invokeTime(), op.returnTime());
    }
}
