package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The search for a linearization of one partition (Wing &amp; Gong, with Lowe's memoisation).
 *
 * <p>Each operation becomes two entries, its call and its return, in one doubly linked list sorted
 * by time (on equal times calls come first, so touching operations count as concurrent). The search
 * repeatedly takes an operation whose call precedes the first return still in the list, applies it to
 * the model, and removes both its entries; it backtracks when it reaches a return entry, i.e. an
 * operation that had to take effect before everything after it. Operations with an unknown outcome
 * return after everything, so they never block, and the search succeeds once every completed operation
 * is placed: the unplaced unknown ones are taken never to have happened. Pairs of (placed operations,
 * model state) already explored are not explored again. The search is iterative, so long histories
 * cannot overflow the stack. Single use, single thread.
 */
final class PartitionSearch<S, I, O> {

    /** How a search ended. */
    enum Status { LINEARIZABLE, NOT_LINEARIZABLE, OUT_OF_TIME, OUT_OF_STATES }

    private static final int HEAD = -1;
    private static final int END = -2;
    private static final int STEPS_BETWEEN_CLOCK_READS = 1024;

    private final Model<S, I, O> model;
    private final List<Op<I, O>> ops;
    private final long deadlineNanos;
    private final long maxVisitedStates;

    // The entry list: entry 2*i is op i's call, 2*i+1 its return; HEAD is the sentinel before the first.
    private final int[] next;
    private final int[] prev;
    private int first;

    private final Set<Visited> visited = new HashSet<>();
    private int[] deepestOrder = new int[0];
    private int deepestStuckEntry = END;
    private int[] deepestCandidates = new int[0];

    private record Visited(BitSet placed, Object state) {
    }

    PartitionSearch(Model<S, I, O> model, List<Op<I, O>> ops, long deadlineNanos, long maxVisitedStates) {
        this.model = model;
        this.ops = ops;
        this.deadlineNanos = deadlineNanos;
        this.maxVisitedStates = maxVisitedStates;
        int entries = 2 * ops.size();
        Integer[] order = new Integer[entries];
        for (int e = 0; e < entries; e++) {
            order[e] = e;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(this::time).thenComparingInt(e -> e & 1));
        next = new int[entries];
        prev = new int[entries];
        first = entries == 0 ? END : order[0];
        for (int k = 0; k < entries; k++) {
            prev[order[k]] = k == 0 ? HEAD : order[k - 1];
            next[order[k]] = k == entries - 1 ? END : order[k + 1];
        }
    }

    long visitedStates() {
        return visited.size();
    }

    /** The deepest partial linearization reached, in order, as indexes into the partition. */
    int[] deepestOrder() {
        return deepestOrder.clone();
    }

    /** The operation that had to be placed after {@link #deepestOrder} but could not be, or -1. */
    int deepestStuckOp() {
        return deepestStuckEntry == END ? -1 : deepestStuckEntry / 2;
    }

    /** The operations that were tried after {@link #deepestOrder}, all leading to dead ends. */
    int[] deepestCandidates() {
        return deepestCandidates.clone();
    }

    Status run() {
        int n = ops.size();
        int unplacedCompleted = (int) ops.stream().filter(op -> !op.isInfo()).count();
        BitSet placed = new BitSet(n);
        int[] stackOp = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        int deepest = -1;
        boolean deepestUnrecorded = false;
        S state = model.initial();
        int entry = first;
        long steps = 0;
        while (unplacedCompleted > 0) {
            if (++steps % STEPS_BETWEEN_CLOCK_READS == 0 && System.nanoTime() - deadlineNanos > 0) {
                return Status.OUT_OF_TIME;
            }
            if (entry == END) {
                throw new IllegalStateException("search ran off the entry list with completed ops unplaced");
            }
            if (isCall(entry)) {
                int op = entry / 2;
                Op<I, O> candidate = ops.get(op);
                Optional<S> after = model.step(state, candidate.input(), candidate.output());
                if (after.isPresent()) {
                    placed.set(op);
                    if (visited.add(new Visited((BitSet) placed.clone(), after.get()))) {
                        if (visited.size() > maxVisitedStates) {
                            return Status.OUT_OF_STATES;
                        }
                        stackOp[depth] = op;
                        stackState[depth] = state;
                        depth++;
                        if (depth > deepest) {
                            deepest = depth;
                            deepestUnrecorded = true;
                        }
                        state = after.get();
                        lift(op);
                        if (!candidate.isInfo()) {
                            unplacedCompleted--;
                        }
                        entry = first;
                        continue;
                    }
                    placed.clear(op);
                }
                entry = next[entry];
            } else {
                if (deepestUnrecorded) {
                    recordDeepest(stackOp, depth, entry);
                    deepestUnrecorded = false;
                }
                if (depth == 0) {
                    if (deepest < 0) {
                        recordDeepest(stackOp, 0, entry);
                    }
                    return Status.NOT_LINEARIZABLE;
                }
                depth--;
                int op = stackOp[depth];
                @SuppressWarnings("unchecked")
                S previous = (S) stackState[depth];
                state = previous;
                stackState[depth] = null;
                placed.clear(op);
                unlift(op);
                if (!ops.get(op).isInfo()) {
                    unplacedCompleted++;
                }
                entry = next[2 * op];
            }
        }
        return Status.LINEARIZABLE;
    }

    private void recordDeepest(int[] stackOp, int depth, int stuckEntry) {
        deepestOrder = Arrays.copyOf(stackOp, depth);
        deepestStuckEntry = stuckEntry;
        List<Integer> candidates = new ArrayList<>();
        for (int e = first; e != stuckEntry && e != END; e = next[e]) {
            if (isCall(e)) {
                candidates.add(e / 2);
            }
        }
        deepestCandidates = candidates.stream().mapToInt(Integer::intValue).toArray();
    }

    private long time(int entry) {
        Op<I, O> op = ops.get(entry / 2);
        return isCall(entry) ? op.invokeTime() : op.returnTime();
    }

    private static boolean isCall(int entry) {
        return (entry & 1) == 0;
    }

    /** Removes op's call and return entries, keeping their own links for {@link #unlift}. */
    private void lift(int op) {
        remove(2 * op);
        remove(2 * op + 1);
    }

    /** Undoes {@link #lift} (dancing links: reinsert in reverse order of removal). */
    private void unlift(int op) {
        reinsert(2 * op + 1);
        reinsert(2 * op);
    }

    private void remove(int entry) {
        int before = prev[entry];
        int after = next[entry];
        if (before == HEAD) {
            first = after;
        } else {
            next[before] = after;
        }
        if (after != END) {
            prev[after] = before;
        }
    }

    private void reinsert(int entry) {
        int before = prev[entry];
        int after = next[entry];
        if (before == HEAD) {
            first = entry;
        } else {
            next[before] = entry;
        }
        if (after != END) {
            prev[after] = entry;
        }
    }
}
