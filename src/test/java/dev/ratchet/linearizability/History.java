package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A concurrent history as clients observed it: each operation's invocation and, if known, its output.
 *
 * <p>Thread-safe: clients may record from many threads at once; every method is short and takes one
 * lock. Times are whatever clock the clients share (nanoseconds, simulated ticks); the caller reads
 * the clock before invoking an operation and after its answer arrives. A client has at most one open
 * operation at a time; once that operation is answered ({@link #ok}) or given up on ({@link #info}) the
 * client may invoke the next one. An operation still open when the history is read counts as info.
 *
 * <p>Every mistake in recording (unknown op id, completing twice, time going backwards, a second open
 * operation for one client, too many operations) throws at once, with the history left unchanged.
 *
 * @param <I> the model's input type
 * @param <O> the model's output type
 */
public final class History<I, O> {

    /** The default maximum number of operations one history accepts. */
    public static final int DEFAULT_MAX_OPS = 1_000_000;

    private final int maxOps;
    private final List<Recorded<I, O>> ops = new ArrayList<>();
    private final Map<Integer, Integer> openOpByClient = new HashMap<>();

    /** A history accepting up to {@link #DEFAULT_MAX_OPS} operations. */
    public History() {
        this(DEFAULT_MAX_OPS);
    }

    /** A history accepting up to {@code maxOps} operations. */
    public History(int maxOps) {
        if (maxOps < 1) {
            throw new IllegalArgumentException("maxOps must be positive: " + maxOps);
        }
        this.maxOps = maxOps;
    }

    /**
     * Records that {@code clientId} invoked an operation.
     *
     * @return the operation's id, to pass to {@link #ok} or {@link #info}
     * @throws IllegalStateException if the client still has an open operation, or the history is full
     */
    public synchronized int invoke(int clientId, I input, long time) {
        Objects.requireNonNull(input, "input");
        if (time == Op.UNKNOWN_RETURN) {
            throw new IllegalArgumentException("time " + time + " is reserved for unknown returns");
        }
        Integer open = openOpByClient.get(clientId);
        if (open != null) {
            throw new IllegalStateException("client " + clientId + " invokes " + input
                    + " while its operation " + open + " (" + ops.get(open).input + ") is still open");
        }
        if (ops.size() >= maxOps) {
            throw new IllegalStateException("history is full: " + maxOps + " operations");
        }
        int id = ops.size();
        ops.add(new Recorded<>(clientId, input, time));
        openOpByClient.put(clientId, id);
        return id;
    }

    /**
     * Records that operation {@code opId} completed with {@code output}.
     *
     * @throws IllegalArgumentException if the id is unknown, the output null, or {@code time} is before
     *                                  the invocation
     * @throws IllegalStateException    if the operation was already completed or given up on
     */
    public synchronized void ok(int opId, O output, long time) {
        Objects.requireNonNull(output, "output");
        Recorded<I, O> op = open(opId, time);
        if (time == Op.UNKNOWN_RETURN) {
            throw new IllegalArgumentException("time " + time + " is reserved for unknown returns");
        }
        op.output = output;
        op.returnTime = time;
        close(opId, op);
    }

    /**
     * Records that the outcome of operation {@code opId} is unknown: it may take effect at any time
     * after its invocation, or never. {@code time} only needs to be no earlier than the invocation.
     *
     * @throws IllegalArgumentException if the id is unknown or {@code time} is before the invocation
     * @throws IllegalStateException    if the operation was already completed or given up on
     */
    public synchronized void info(int opId, long time) {
        Recorded<I, O> op = open(opId, time);
        close(opId, op);
    }

    /** The number of operations recorded so far. */
    public synchronized int size() {
        return ops.size();
    }

    /** A snapshot of the history in invocation order; open operations appear as info. */
    public synchronized List<Op<I, O>> ops() {
        List<Op<I, O>> snapshot = new ArrayList<>(ops.size());
        for (int id = 0; id < ops.size(); id++) {
            Recorded<I, O> op = ops.get(id);
            snapshot.add(op.output == null
                    ? Op.info(id, op.clientId, op.input, op.invokeTime)
                    : Op.ok(id, op.clientId, op.input, op.output, op.invokeTime, op.returnTime));
        }
        return List.copyOf(snapshot);
    }

    private Recorded<I, O> open(int opId, long time) {
        if (opId < 0 || opId >= ops.size()) {
            throw new IllegalArgumentException("unknown operation id " + opId);
        }
        Recorded<I, O> op = ops.get(opId);
        if (op.closed) {
            throw new IllegalStateException("operation " + opId + " (" + op.input + ") was already closed");
        }
        if (time < op.invokeTime) {
            throw new IllegalArgumentException("operation " + opId + " ends at " + time
                    + ", before its invocation at " + op.invokeTime);
        }
        return op;
    }

    private void close(int opId, Recorded<I, O> op) {
        op.closed = true;
        openOpByClient.remove(op.clientId, opId);
    }

    /** Mutable bookkeeping for one operation; only touched under the history's lock. */
    private static final class Recorded<I, O> {
        final int clientId;
        final I input;
        final long invokeTime;
        O output;
        long returnTime = Op.UNKNOWN_RETURN;
        boolean closed;

        Recorded(int clientId, I input, long invokeTime) {
            this.clientId = clientId;
            this.input = input;
            this.invokeTime = invokeTime;
        }
    }
}
