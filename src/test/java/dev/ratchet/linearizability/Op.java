package dev.ratchet.linearizability;

import java.util.Objects;

/**
 * One recorded operation of a history: what a client asked, what it was told, and when.
 *
 * <p>An operation whose outcome is unknown (an "info" operation: the client timed out, crashed or
 * lost its connection) has a {@code null} output and returns at {@link #UNKNOWN_RETURN}: it may have
 * taken effect at any time after its invocation, or never. Two operations are ordered in real time
 * only if one returned strictly before the other was invoked; equal times mean "concurrent".
 *
 * @param id         the id the history gave the operation, unique within the history
 * @param clientId   the client that invoked it
 * @param input      what was asked, never null
 * @param output     what was answered, or null if the outcome is unknown
 * @param invokeTime when it was invoked
 * @param returnTime when its answer arrived, or {@link #UNKNOWN_RETURN}
 * @param <I>        the model's input type
 * @param <O>        the model's output type
 */
public record Op<I, O>(int id, int clientId, I input, O output, long invokeTime, long returnTime) {

    /** The return time of an operation whose outcome is unknown: later than any real time. */
    public static final long UNKNOWN_RETURN = Long.MAX_VALUE;

    /** Validates the invariants that the checker relies on. */
    public Op {
        Objects.requireNonNull(input, "input");
        if (output == null && returnTime != UNKNOWN_RETURN) {
            throw new IllegalArgumentException(
                    "op " + id + ": an operation without output must return at UNKNOWN_RETURN, not " + returnTime);
        }
        if (output != null && returnTime == UNKNOWN_RETURN) {
            throw new IllegalArgumentException("op " + id + ": a completed operation needs a finite return time");
        }
        if (returnTime < invokeTime) {
            throw new IllegalArgumentException(
                    "op " + id + ": returns at " + returnTime + ", before its invocation at " + invokeTime);
        }
    }

    /** An operation that completed with {@code output}. */
    public static <I, O> Op<I, O> ok(int id, int clientId, I input, O output, long invokeTime, long returnTime) {
        return new Op<>(id, clientId, input, Objects.requireNonNull(output, "output"), invokeTime, returnTime);
    }

    /** An operation whose outcome is unknown. */
    public static <I, O> Op<I, O> info(int id, int clientId, I input, long invokeTime) {
        return new Op<>(id, clientId, input, null, invokeTime, UNKNOWN_RETURN);
    }

    /** Whether the outcome is unknown: the operation may or may not have taken effect. */
    public boolean isInfo() {
        return output == null;
    }
}
