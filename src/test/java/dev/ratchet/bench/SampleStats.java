package dev.ratchet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and maximum of a handful of samples (failover times, start-up times). Stateless. */
public final class SampleStats {

    private SampleStats() {
    }

    /**
     * The median: the middle sample, or the mean of the two middle ones for an even count.
     *
     * @throws IllegalArgumentException for no samples
     */
    public static double median(List<Long> samples) {
        List<Long> sorted = sorted(samples);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** The largest sample; {@link IllegalArgumentException} for no samples. */
    public static long max(List<Long> samples) {
        List<Long> sorted = sorted(samples);
        return sorted.get(sorted.size() - 1);
    }

    private static List<Long> sorted(List<Long> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted;
    }
}
