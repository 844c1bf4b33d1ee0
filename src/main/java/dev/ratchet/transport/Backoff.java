package dev.ratchet.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delay with jitter: the n-th delay (from 0) is uniform in [max(min, d/2), d] where
 * d = min(max, min * 2^n), so every delay lies within [min, max]. Jitter keeps a restarted cluster from redialling in lockstep. Not thread-safe:
 * one per peer link, used by its supervisor thread.
 */
final class Backoff {

    private static final int MAX_DOUBLINGS = 30;

    private final long minNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The next delay; each call doubles the ceiling until the maximum. */
    long nextNanos() {
        long ceiling = minNanos << Math.min(attempt, MAX_DOUBLINGS);
        if (ceiling <= 0 || ceiling > maxNanos) {
            ceiling = maxNanos;
        } else {
            attempt++;
        }
        long floor = Math.max(minNanos, ceiling / 2);
        return floor + random.nextLong(ceiling - floor + 1);
    }

    /** Back to the minimum, after a successful connection. */
    void reset() {
        attempt = 0;
    }
}
