package dev.ratchet.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.linearizability.CheckResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The checker agrees with the definition of linearizability, applied by brute force, on small random
 * histories (one key, three values, random answers, some unknown outcomes), most of which are wrong.
 */
class BruteForceAgreementProperties {

    private static final KvModel KV = new KvModel();
    private static final List<String> VALUES = List.of("a", "b", "c");

    @Property(tries = 1000)
    void checkerAgreesWithBruteForce(@ForAll("histories") List<Op<KvInput, KvOutput>> ops) {
        boolean expected = bruteForce(new HashSet<>(ops), KV.initial());
        Statistics.collect(expected ? "linearizable" : "not linearizable");
        // A generator that produced only one verdict would make this property vacuous.
        Statistics.coverage(coverage -> {
            coverage.check("linearizable").percentage(p -> p > 15);
            coverage.check("not linearizable").percentage(p -> p > 15);
        });

        CheckResult result = LinearizabilityChecker.check(KV, ops, Duration.ofSeconds(10));

        assertThat(result.outcome()).as(ops + "\n" + result.explanation())
                .isEqualTo(expected ? Outcome.LINEARIZABLE : Outcome.NOT_LINEARIZABLE);
    }

    /**
     * Straight from the definition: some operation may go next if no completed operation still
     * unplaced returned before it was invoked; unknown outcomes may also be left out entirely.
     */
    private static boolean bruteForce(Set<Op<KvInput, KvOutput>> remaining, Map<String, String> state) {
        if (remaining.stream().allMatch(Op::isInfo)) {
            return true;
        }
        for (Op<KvInput, KvOutput> op : remaining) {
            boolean mayGoNext = remaining.stream()
                    .noneMatch(other -> !other.isInfo() && other.returnTime() < op.invokeTime());
            Set<Op<KvInput, KvOutput>> rest = new HashSet<>(remaining);
            rest.remove(op);
            if (op.isInfo() && bruteForce(rest, state)) {
                return true;
            }
            Optional<Map<String, String>> next = KV.step(state, op.input(), op.output());
            if (mayGoNext && next.isPresent() && bruteForce(rest, next.get())) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<List<Op<KvInput, KvOutput>>> histories() {
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> maybeValue = Arbitraries.oneOf(value, Arbitraries.just(null));
        Arbitrary<KvInput> input = Arbitraries.oneOf(
                value.map(v -> new KvInput.Put("x", v)),
                Arbitraries.just(new KvInput.Get("x")),
                Arbitraries.just(new KvInput.Delete("x")),
                Combinators.combine(maybeValue, value).as((expected, v) -> new KvInput.Cas("x", expected, v)));
        Arbitrary<RawOp> raw = Combinators.combine(input, maybeValue, Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 4), Arbitraries.of(true, false))
                .as(RawOp::new);
        return raw.list().ofMinSize(1).ofMaxSize(7).map(BruteForceAgreementProperties::toOps);
    }

    private record RawOp(KvInput input, String readValue, int start, int length, int unknownDice, boolean casOk) {
    }

    private static List<Op<KvInput, KvOutput>> toOps(List<RawOp> raws) {
        List<Op<KvInput, KvOutput>> ops = new ArrayList<>();
        for (RawOp raw : raws) {
            int id = ops.size();
            if (raw.unknownDice() == 0) {
                ops.add(Op.info(id, id, raw.input(), raw.start()));
                continue;
            }
            KvOutput output;
            if (raw.input() instanceof KvInput.Get) {
                output = KvOutput.read(raw.readValue());
            } else if (raw.input() instanceof KvInput.Cas) {
                output = raw.casOk() ? KvOutput.casOk() : KvOutput.casFailed();
            } else {
                output = KvOutput.ack();
            }
            ops.add(Op.ok(id, id, raw.input(), output, raw.start(), raw.start() + raw.length()));
        }
        return ops;
    }
}
