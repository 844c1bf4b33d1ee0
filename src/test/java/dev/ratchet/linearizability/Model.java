package dev.ratchet.linearizability;

import java.util.List;
import java.util.Optional;

/**
 * A sequential specification: the behaviour a linearizable system must be indistinguishable from.
 *
 * <p>Contract: every method is a pure function of its arguments; the checker calls them from one
 * thread, many times, in any order. States must be immutable values with {@code equals} and
 * {@code hashCode}, because the checker remembers which (set of placed operations, state) pairs it has
 * already explored. Methods may throw {@link IllegalArgumentException} for an input/output pair that
 * no system could produce (e.g. a read answered with a write acknowledgement); the checker lets it
 * propagate, since that is a bug in the recording, not a finding about the system.
 *
 * @param <S> the state, an immutable value
 * @param <I> what a client asks
 * @param <O> what a client is told
 */
public interface Model<S, I, O> {

    /** The state before any operation. */
    S initial();

    /**
     * Applies one operation to {@code state}.
     *
     * @param output what the client was told, or {@code null} if the outcome is unknown; then the
     *               question is "which state follows if this operation took effect here?" (the checker
     *               separately considers that it never took effect)
     * @return the next state, or empty if the operation cannot have returned {@code output} in
     *         {@code state}
     */
    Optional<S> step(S state, I input, O output);

    /**
     * Splits a history into parts that can be checked independently (P-compositionality): a history
     * is linearizable iff every part is. The default keeps the whole history together.
     *
     * @param ops the history, in invocation order
     * @return the parts, each in invocation order; together they hold every operation exactly once
     */
    default List<List<Op<I, O>>> partition(List<Op<I, O>> ops) {
        return List.of(ops);
    }

    /** A short name for one part returned by {@link #partition}, for reports. */
    default String describePartition(List<Op<I, O>> partition) {
        return "the whole history";
    }

    /** A readable form of an operation's input and output ({@code output} is null if unknown). */
    default String describeOperation(I input, O output) {
        return input + " -> " + (output == null ? "?" : output);
    }

    /** A readable form of a state. */
    default String describeState(S state) {
        return String.valueOf(state);
    }
}
