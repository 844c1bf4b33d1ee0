package dev.ratchet.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a warm-up has done its job: the JIT of a node that was just started keeps compiling for a
 * minute or more on a saturated 2-core machine (a C2 compile of one hot method took seconds there), and a
 * window measured meanwhile measures the compiler. Measured on 2026-12-02, same commit: 16 clients' spread
 * writes after a 10–40 s warm-up ran at 245–420/s, after 60 s and 20 s of leader writes at 1,750–1,900/s. Warm-up slices are fed in as
 * they finish; the rate counts as steady once the last {@link #SLICES} slices of every kind are within
 * {@link #TOLERANCE} of each other. Two were not enough: on 2026-12-03 a spread rate still climbing
 * (938, 1,337, 1,245/s) passed, and the window after it ran at half the rate of a warm node. Not
 * thread-safe (one warm-up loop uses it).
 */
final class SteadyRate {

    /** Largest relative gap between the last slices of a kind that still counts as steady. */
    static final double TOLERANCE = 0.10;
    /** How many of the last slices of each kind must agree. */
    static final int SLICES = 3;

    private final List<List<Double>> rates = new ArrayList<>();

    /** @param kinds how many kinds of slices alternate (leader writes, spread writes…) */
    SteadyRate(int kinds) {
        if (kinds < 1) {
            throw new IllegalArgumentException("at least one kind of slice");
        }
        for (int i = 0; i < kinds; i++) {
            rates.add(new ArrayList<>());
        }
    }

    /** Records one finished slice of the given kind (its operations per second). */
    void record(int kind, double perSecond) {
        rates.get(kind).add(perSecond);
    }

    /** True once every kind has {@link #SLICES} slices and its last ones differ by at most {@link #TOLERANCE}. */
    boolean steady() {
        for (List<Double> r : rates) {
            if (r.size() < SLICES) {
                return false;
            }
            List<Double> last = r.subList(r.size() - SLICES, r.size());
            double high = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double low = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            if (high <= 0 || (high - low) / high > TOLERANCE) {
                return false;
            }
        }
        return true;
    }
}
