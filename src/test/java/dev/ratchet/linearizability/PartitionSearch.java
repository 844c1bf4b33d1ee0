package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The search for a linearization of one partition (Wing &amp; Gong, with Lowe's memoisation).
 *
 * <p>Each completed operation becomes two entries, its call and its return, in one doubly linked list
 * sorted by time (on equal times calls come first, so touching operations count as concurrent). The
 * search repeatedly takes an operation whose call precedes the first return still in the list,
 * applies it to the model, and removes both its entries; it backtracks when nothing can be placed
 * before that first return, since that operation had to take effect before everything after it.
 * Configurations (placed operations, model state) already explored are not explored again (see
 * {@link VisitedConfigurations}). The search is
 * iterative, so long histories cannot overflow the stack. Single use, single thread.
 *
 * <p>Operations with an unknown outcome never return, so they never block and need not be placed:
 * the search succeeds once every completed operation is placed. They sit in a second list sorted by
 * invocation and are tried only after the completed candidates, and only where they change the state
 * (placing one that does not is the same as leaving it out). Both rules only reorder or drop redundant
 * branches, but matter: such an operation stays a candidate at every later step, and trying it first
 * everywhere multiplies the states to explore.
 */
final class PartitionSearch<S, I, O> {

    /** How a search ended. */
    enum Status { LINEARIZABLE, NOT_LINEARIZABLE, OUT_OF_TIME, OUT_OF_STATES }

    private static final int END = -1;
    private static final int STEPS_BETWEEN_CLOCK_READS = 1024;

    private final Model<S, I, O> model;
    private final List<Op<I, O>> ops;
    private final long deadlineNanos;
    private final long maxVisitedStates;

    // Completed ops: entry 2*i is op i's call, 2*i+1 its return, linked in time order from `first`.
    private final int[] next;
    private final int[] prev;
    private int first = END;
    // Ops with unknown outcome, by op index, linked in invocation order from `firstInfo`.
    private final int[] nextInfo;
    private final int[] prevInfo;
    private int firstInfo = END;

    private final VisitedConfigurations visited = new VisitedConfigurations();
    private int[] deepestOrder = new int[0];
    private int deepestStuckEntry = END;
    private int[] deepestCandidates = new int[0];

    PartitionSearch(Model<S, I, O> model, List<Op<I, O>> ops, long deadlineNanos, long maxVisitedStates) {
        this.model = model;
        this.ops = ops;
        this.deadlineNanos = deadlineNanos;
        this.maxVisitedStates = maxVisitedStates;
        int n = ops.size();
        next = new int[2 * n];
        prev = new int[2 * n];
        nextInfo = new int[n];
        prevInfo = new int[n];
        int[] entries = IntStream.range(0, 2 * n).filter(e -> !ops.get(e / 2).isInfo()).boxed()
                .sorted(Comparator.<Integer>comparingLong(this::time).thenComparingInt(e -> e & 1))
                .mapToInt(Integer::intValue).toArray();
        first = link(entries, next, prev);
        int[] infos = IntStream.range(0, n).filter(i -> ops.get(i).isInfo()).boxed()
                .sorted(Comparator.comparingLong(i -> ops.get(i).invokeTime()))
                .mapToInt(Integer::intValue).toArray();
        firstInfo = link(infos, nextInfo, prevInfo);
    }

    private static int link(int[] order, int[] next, int[] prev) {
        for (int k = 0; k < order.length; k++) {
            prev[order[k]] = k == 0 ? END : order[k - 1];
            next[order[k]] = k == order.length - 1 ? END : order[k + 1];
        }
        return order.length == 0 ? END : order[0];
    }

    long visitedStates() {
        return visited.size();
    }

    /** The deepest partial linearization reached, in order, as indexes into the partition. */
    int[] deepestOrder() {
        return deepestOrder.clone();
    }

    /** The completed operation that had to be placed after {@link #deepestOrder} but could not be, or -1. */
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
        BitSet placedCompleted = new BitSet(n);
        BitSet placedUnknown = new BitSet(n);
        int[] stackOp = new int[n];
        Object[] stackState = new Object[n];
        VisitedConfigurations.Entry[] stackEntry = new VisitedConfigurations.Entry[n];
        int depth = 0;
        int deepest = -1;
        boolean deepestUnrecorded = false;
        S state = model.initial();
        int entry = first;      // cursor over completed candidates
        int info = firstInfo;   // cursor over unknown-outcome candidates, used once `entry` is a return
        long steps = 0;
        while (unplacedCompleted > 0) {
            if (++steps % STEPS_BETWEEN_CLOCK_READS == 0 && System.nanoTime() - deadlineNanos > 0) {
                return Status.OUT_OF_TIME;
            }
            if (entry == END) {
                throw new IllegalStateException("search ran off the entry list with completed ops unplaced");
            }
            int op;
            if (isCall(entry)) {
                op = entry / 2;
                entry = next[entry];
            } else if (info != END && ops.get(info).invokeTime() <= time(entry)) {
                op = info;
                info = nextInfo[info];
            } else {
                // Nothing more fits before the return at `entry`: backtrack.
                if (deepestUnrecorded || deepest < 0) {
                    recordDeepest(stackOp, depth, entry);
                    deepest = Math.max(deepest, 0);
                    deepestUnrecorded = false;
                }
                if (depth == 0) {
                    return Status.NOT_LINEARIZABLE;
                }
                depth--;
                op = stackOp[depth];
                @SuppressWarnings("unchecked")
                S previous = (S) stackState[depth];
                state = previous;
                stackState[depth] = null;
                stackEntry[depth].finish();
                stackEntry[depth] = null;
                if (ops.get(op).isInfo()) {
                    placedUnknown.clear(op);
                    reinsertInfo(op);
                    entry = firstReturn();
                    info = nextInfo[op];
                } else {
                    placedCompleted.clear(op);
                    reinsert(2 * op + 1);
                    reinsert(2 * op);
                    unplacedCompleted++;
                    entry = next[2 * op];
                    info = firstInfo;
                }
                continue;
            }
            Op<I, O> candidate = ops.get(op);
            Optional<S> after = model.step(state, candidate.input(), candidate.output());
            if (after.isEmpty() || candidate.isInfo() && after.get().equals(state)) {
                continue;
            }
            BitSet placed = candidate.isInfo() ? placedUnknown : placedCompleted;
            placed.set(op);
            VisitedConfigurations.Entry entered = visited.visit(placedCompleted, placedUnknown, after.get());
            if (entered == null) {
                placed.clear(op);
                continue;
            }
            if (visited.size() > maxVisitedStates) {
                return Status.OUT_OF_STATES;
            }
            stackOp[depth] = op;
            stackState[depth] = state;
            stackEntry[depth] = entered;
            depth++;
            if (depth > deepest) {
                deepest = depth;
                deepestUnrecorded = true;
            }
            state = after.get();
            if (candidate.isInfo()) {
                removeInfo(op);
            } else {
                remove(2 * op);
                remove(2 * op + 1);
                unplacedCompleted--;
            }
            entry = first;
            info = firstInfo;
        }
        return Status.LINEARIZABLE;
    }

    private int firstReturn() {
        int e = first;
        while (e != END && isCall(e)) {
            e = next[e];
        }
        return e;
    }

    private void recordDeepest(int[] stackOp, int depth, int stuckEntry) {
        deepestOrder = Arrays.copyOf(stackOp, depth);
        deepestStuckEntry = stuckEntry;
        List<Integer> candidates = new ArrayList<>();
        for (int e = first; e != stuckEntry && e != END; e = next[e]) {
            candidates.add(e / 2);
        }
        for (int i = firstInfo; i != END && ops.get(i).invokeTime() <= time(stuckEntry); i = nextInfo[i]) {
            candidates.add(i);
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

    // Dancing links: a removed entry keeps its own links, so reinserting in reverse order restores the list.

    private void remove(int entry) {
        if (prev[entry] == END) {
            first = next[entry];
        } else {
            next[prev[entry]] = next[entry];
        }
        if (next[entry] != END) {
            prev[next[entry]] = prev[entry];
        }
    }

    private void reinsert(int entry) {
        if (prev[entry] == END) {
            first = entry;
        } else {
            next[prev[entry]] = entry;
        }
        if (next[entry] != END) {
            prev[next[entry]] = entry;
        }
    }

    private void removeInfo(int op) {
        if (prevInfo[op] == END) {
            firstInfo = nextInfo[op];
        } else {
            nextInfo[prevInfo[op]] = nextInfo[op];
        }
        if (nextInfo[op] != END) {
            prevInfo[nextInfo[op]] = prevInfo[op];
        }
    }

    private void reinsertInfo(int op) {
        if (prevInfo[op] == END) {
            firstInfo = op;
        } else {
            nextInfo[prevInfo[op]] = op;
        }
        if (nextInfo[op] != END) {
            prevInfo[nextInfo[op]] = op;
        }
    }
}
