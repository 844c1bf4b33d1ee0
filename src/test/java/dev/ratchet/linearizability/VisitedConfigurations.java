package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The search's memory of configurations (placed operations, model state) it has explored.
 *
 * <p>Beyond Lowe's exact memoisation it uses subsumption on operations with unknown outcome: a
 * configuration is no better than an explored one that placed the same completed operations, reached
 * the same state and used up only a subset of its unknown-outcome operations, because it can do nothing
 * the explored one could not. That is sound only against configurations whose exploration finished
 * (and failed), so entries are marked finished when the search backtracks out of them. Without it a
 * history with k such operations can cost 2^k states for every prefix. Single thread.
 */
final class VisitedConfigurations {

    /** One explored configuration's unknown-outcome operations, and whether its subtree is exhausted. */
    static final class Entry {
        private final BitSet placedUnknown;
        private boolean finished;

        private Entry(BitSet placedUnknown) {
            this.placedUnknown = placedUnknown;
        }

        void finish() {
            finished = true;
        }
    }

    private record Key(BitSet placedCompleted, Object state) {
    }

    private final Map<Key, List<Entry>> entries = new HashMap<>();
    private long size;

    /**
     * Records a configuration about to be explored.
     *
     * @return its entry, to {@link Entry#finish} on backtracking, or null if an explored configuration
     *         covers it (then it must not be explored); the bit sets are copied, not kept
     */
    Entry visit(BitSet placedCompleted, BitSet placedUnknown, Object state) {
        List<Entry> sameCompletedAndState = entries.get(new Key(placedCompleted, state));
        if (sameCompletedAndState == null) {
            sameCompletedAndState = new ArrayList<>(1);
            entries.put(new Key((BitSet) placedCompleted.clone(), state), sameCompletedAndState);
        } else {
            for (Entry explored : sameCompletedAndState) {
                if (explored.finished ? isSubset(explored.placedUnknown, placedUnknown)
                        : explored.placedUnknown.equals(placedUnknown)) {
                    return null;
                }
            }
        }
        Entry entry = new Entry((BitSet) placedUnknown.clone());
        sameCompletedAndState.add(entry);
        size++;
        return entry;
    }

    /** How many configurations were recorded. */
    long size() {
        return size;
    }

    private static boolean isSubset(BitSet small, BitSet large) {
        for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
            if (!large.get(i)) {
                return false;
            }
        }
        return true;
    }
}
