package dev.ratchet.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a recorded history is linearizable with respect to a {@link Model}.
 *
 * <p>The model splits the history into independent partitions (for {@link KvModel}: one per key) and
 * each is searched on its own with {@link PartitionSearch}; the history is linearizable iff every
 * partition is. The search is exponential in the worst case, so it is bounded twice: by a wall-clock
 * budget shared by all partitions, and by the number of distinct states each partition may remember
 * (which bounds memory). Exceeding either gives {@link CheckResult.Outcome#UNKNOWN}, unless another
 * partition was already found not linearizable. Stateless and thread-safe; runs in the calling thread.
 */
public final class LinearizabilityChecker {

    /** The default bound on remembered states per partition. */
    public static final long DEFAULT_MAX_VISITED_STATES = 1_000_000;

    /**
     * A remembered state costs about {@link #BYTES_PER_STATE} bytes plus one bit per operation of its
     * partition, so long partitions get a lower state bound that keeps their memory under this.
     */
    static final long MEMORY_PER_PARTITION_BYTES = 512L << 20;
    static final long BYTES_PER_STATE = 200;

    private LinearizabilityChecker() {
    }

    /** Checks a snapshot of {@code history}; see {@link #check(Model, List, Duration, long)}. */
    public static <S, I, O> CheckResult check(Model<S, I, O> model, History<I, O> history, Duration budget) {
        return check(model, history.ops(), budget, DEFAULT_MAX_VISITED_STATES);
    }

    /** Checks {@code ops}; see {@link #check(Model, List, Duration, long)}. */
    public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Op<I, O>> ops, Duration budget) {
        return check(model, ops, budget, DEFAULT_MAX_VISITED_STATES);
    }

    /**
     * Checks whether {@code ops} is linearizable.
     *
     * @param ops              the operations, with unique ids
     * @param budget           wall-clock time after which the check gives up with UNKNOWN
     * @param maxVisitedStates how many states each partition's search may remember (lowered for
     *                         partitions so long that this many states would take over 512 MB)
     * @throws IllegalArgumentException if op ids repeat, the model's partition loses or duplicates
     *                                  operations, or the model rejects an input/output pair
     */
    public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Op<I, O>> ops, Duration budget,
                                              long maxVisitedStates) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(ops, "ops");
        if (budget.isNegative() || maxVisitedStates < 1) {
            throw new IllegalArgumentException("need a non-negative budget and a positive state limit, got "
                    + budget + " and " + maxVisitedStates);
        }
        long start = System.nanoTime();
        long deadline = start + Math.min(budget.toNanos(), Long.MAX_VALUE / 4);
        requireUniqueIds(ops);
        List<List<Op<I, O>>> partitions = model.partition(ops);
        requireSameOps(ops, partitions);

        long visitedStates = 0;
        List<String> unfinished = new ArrayList<>();
        for (List<Op<I, O>> partition : partitions) {
            if (System.nanoTime() - deadline >= 0) {
                unfinished.add(model.describePartition(partition) + ": not started, out of time");
                continue;
            }
            long stateLimit = Math.min(maxVisitedStates,
                    MEMORY_PER_PARTITION_BYTES / (BYTES_PER_STATE + partition.size() / 8));
            PartitionSearch<S, I, O> search = new PartitionSearch<>(model, partition, deadline, stateLimit);
            PartitionSearch.Status status = search.run();
            visitedStates += search.visitedStates();
            switch (status) {
                case LINEARIZABLE -> {
                }
                case NOT_LINEARIZABLE -> {
                    return result(CheckResult.Outcome.NOT_LINEARIZABLE, FailureReport.explain(model, partition, search),
                            partitions.size(), visitedStates, start, 0);
                }
                case OUT_OF_TIME -> unfinished.add(model.describePartition(partition) + ": out of time after "
                        + search.visitedStates() + " states");
                case OUT_OF_STATES -> unfinished.add(model.describePartition(partition) + ": more than "
                        + stateLimit + " states");
            }
        }
        if (!unfinished.isEmpty()) {
            String shown = String.join("; ", unfinished.subList(0, Math.min(10, unfinished.size())));
            return result(CheckResult.Outcome.UNKNOWN, unfinished.size() + " of " + partitions.size()
                    + " partitions unfinished (" + shown + ")", partitions.size(), visitedStates, start, unfinished.size());
        }
        return result(CheckResult.Outcome.LINEARIZABLE, ops.size() + " operations in " + partitions.size()
                + " partitions are linearizable", partitions.size(), visitedStates, start, 0);
    }

    private static CheckResult result(CheckResult.Outcome outcome, String explanation, int partitions,
                                      long visitedStates, long startNanos, int undecided) {
        return new CheckResult(outcome, explanation, partitions, visitedStates,
                Duration.ofNanos(System.nanoTime() - startNanos), undecided);
    }

    private static <I, O> void requireUniqueIds(List<Op<I, O>> ops) {
        Set<Integer> ids = new HashSet<>();
        for (Op<I, O> op : ops) {
            if (!ids.add(op.id())) {
                throw new IllegalArgumentException("operation id " + op.id() + " appears twice");
            }
        }
    }

    private static <I, O> void requireSameOps(List<Op<I, O>> ops, List<List<Op<I, O>>> partitions) {
        Set<Integer> expected = new HashSet<>();
        ops.forEach(op -> expected.add(op.id()));
        int total = 0;
        for (List<Op<I, O>> partition : partitions) {
            for (Op<I, O> op : partition) {
                total++;
                if (!expected.remove(op.id())) {
                    throw new IllegalArgumentException("partition holds operation " + op.id()
                            + " twice or one not in the history");
                }
            }
        }
        if (!expected.isEmpty() || total != ops.size()) {
            throw new IllegalArgumentException("partition lost operations " + expected);
        }
    }
}
