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
 * {@link History} (in simulated time order) and checks it against {@link KvModel}.
 */
final class HistoryCheck {

    /** Wall-clock budget per history; an exhausted budget counts as UNKNOWN, not as a failure. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    private HistoryCheck() {
    }

    /** Null when linearizable (or undecided within the budget), else the checker's explanation. */
    static String check(SimHistory sim) {
        CheckResult result = checkResult(sim);
        return result.outcome() == CheckResult.Outcome.NOT_LINEARIZABLE ? result.toString() : null;
    }

    static CheckResult checkResult(SimHistory sim) {
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
        return LinearizabilityChecker.check(new KvModel(), history, BUDGET);
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
