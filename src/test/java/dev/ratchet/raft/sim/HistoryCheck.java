package dev.ratchet.raft.sim;

import dev.ratchet.linearizability.CheckResult;
import dev.ratchet.linearizability.History;
import dev.ratchet.linearizability.KvInput;
import dev.ratchet.linearizability.KvModel;
import dev.ratchet.linearizability.KvOutput;
import dev.ratchet.linearizability.LinearizabilityChecker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The seam to the linearizability checker: replays a simulated client history into the checker's
 * {@link History} (in simulated time order) and checks it against {@link KvModel}, one partition per key.
 *
 * <p>An undecided key (the search ran out of budget) is never a pass: the check is retried once with
 * {@link #RETRY_BUDGET} and a larger state bound, and a history with a key still undecided fails the run
 * like a non-linearizable one, naming the keys.
 */
final class HistoryCheck {

    /** Wall-clock budget per history for the first attempt. */
    static final Duration BUDGET = Duration.ofSeconds(5);
    /** The budget of the second attempt, for a history the first could not decide. */
    static final Duration RETRY_BUDGET = Duration.ofSeconds(30);
    private static final long RETRY_MAX_STATES = 4 * LinearizabilityChecker.DEFAULT_MAX_VISITED_STATES;

    private HistoryCheck() {
    }

    /** Null when the history was decided linearizable, else why not (not linearizable, or undecided). */
    static String check(SimHistory sim) {
        return verdict(checkResult(sim));
    }

    /** Null for a LINEARIZABLE result; an explanation for the other two outcomes. */
    static String verdict(CheckResult result) {
        return switch (result.outcome()) {
            case LINEARIZABLE -> null;
            case NOT_LINEARIZABLE -> result.toString();
            case UNKNOWN -> "undecided: " + result.undecided() + " of " + result.partitions()
                    + " keys could not be decided within the budget, which is not a pass: " + result;
        };
    }

    /** The checker's result, after a second, larger attempt if the first left keys undecided. */
    static CheckResult checkResult(SimHistory sim) {
        return checkResult(sim, BUDGET, RETRY_BUDGET);
    }

    static CheckResult checkResult(SimHistory sim, Duration budget, Duration retryBudget) {
        History<KvInput, KvOutput> history = toHistory(sim);
        CheckResult first = LinearizabilityChecker.check(new KvModel(), history, budget);
        if (first.outcome() != CheckResult.Outcome.UNKNOWN) {
            return first;
        }
        return LinearizabilityChecker.check(new KvModel(), history.ops(), retryBudget, RETRY_MAX_STATES);
    }

    private static History<KvInput, KvOutput> toHistory(SimHistory sim) {
        History<KvInput, KvOutput> history = new History<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<Integer, KvOp> ops = new HashMap<>();
        for (SimHistory.Event e : sim.events()) {
            switch (e.type()) {
                case INVOKE -> {
                    ids.put(e.opId(), history.invoke(e.clientId(), input(e.op()), e.time()));
                    ops.put(e.opId(), e.op());
                }
                case OK -> history.ok(ids.get(e.opId()), output(ops.get(e.opId()), e.result()), e.time());
                case INFO -> history.info(ids.get(e.opId()), e.time());
            }
        }
        return history;
    }

    private static KvInput input(KvOp op) {
        return switch (op.kind()) {
            case GET -> new KvInput.Get(op.key());
            case PUT -> new KvInput.Put(op.key(), op.value());
            case DELETE -> new KvInput.Delete(op.key());
            case CAS -> new KvInput.Cas(op.key(), op.expected(), op.value());
        };
    }

    private static KvOutput output(KvOp op, KvOp.Result result) {
        return switch (op.kind()) {
            case GET -> KvOutput.read(result.value());
            case PUT, DELETE -> KvOutput.ack();
            case CAS -> result.swapped() ? KvOutput.casOk() : KvOutput.casFailed();
        };
    }
}
