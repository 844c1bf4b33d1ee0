package dev.ratchet.linearizability;

import java.time.Duration;
import java.util.Objects;

/**
 * The verdict of {@link LinearizabilityChecker#check}.
 *
 * @param outcome        the verdict
 * @param explanation    for {@link Outcome#NOT_LINEARIZABLE}: which partition failed, the longest
 *                       linearizable prefix found and the operations that could not be placed; for the
 *                       others a one-line summary
 * @param partitions     how many partitions the model split the history into
 * @param visitedStates  how many distinct (placed operations, state) pairs the search explored
 * @param elapsed        how long the check took
 * @param undecided      how many partitions (for {@link KvModel}: keys) the search could not decide within
 *                       its budget; positive exactly when the outcome is {@link Outcome#UNKNOWN}. An
 *                       undecided partition is not evidence of anything: callers must not count it as a pass.
 */
public record CheckResult(Outcome outcome, String explanation, int partitions, long visitedStates,
                          Duration elapsed, int undecided) {

    /** Whether the history is linearizable. */
    public enum Outcome {
        /** Some order of the operations respects real time and the model. */
        LINEARIZABLE,
        /** No such order exists; {@link #explanation()} says where the search got stuck. */
        NOT_LINEARIZABLE,
        /** The time budget or the state limit ran out before the search finished. */
        UNKNOWN
    }

    /** Rejects missing fields. */
    public CheckResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(elapsed, "elapsed");
        if ((outcome == Outcome.UNKNOWN) != (undecided > 0)) {
            throw new IllegalArgumentException("outcome " + outcome + " with " + undecided + " undecided partitions");
        }
    }

    /** Whether the outcome is {@link Outcome#LINEARIZABLE}. */
    public boolean isLinearizable() {
        return outcome == Outcome.LINEARIZABLE;
    }

    @Override
    public String toString() {
        return outcome + " (" + partitions + " partitions" + (undecided > 0 ? ", " + undecided + " undecided" : "")
                + ", " + visitedStates + " states, "
                + elapsed.toMillis() + " ms): " + explanation;
    }
}
