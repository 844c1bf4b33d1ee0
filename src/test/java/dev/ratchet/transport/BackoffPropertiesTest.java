package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Reconnect delays stay within their bounds, grow exponentially, and start over after a success. */
class BackoffPropertiesTest {

    @Property(tries = 200)
    void delaysStayWithinBoundsAndGrowNoFasterThanDoubling(@ForAll long seed,
            @ForAll @LongRange(min = 1, max = 1_000) long minMillis,
            @ForAll @IntRange(min = 1, max = 1_000) int maxFactor,
            @ForAll @IntRange(min = 1, max = 80) int attempts) {
        long min = Duration.ofMillis(minMillis).toNanos();
        long max = min * maxFactor;
        Backoff backoff = new Backoff(Duration.ofNanos(min), Duration.ofNanos(max), new SplittableRandom(seed));
        for (int n = 0; n < attempts; n++) {
            long delay = backoff.nextNanos();
            assertThat(delay).isBetween(min, max);
            double ceiling = Math.min((double) max, min * Math.pow(2, n));
            assertThat((double) delay).isLessThanOrEqualTo(ceiling);
            assertThat((double) delay).isGreaterThanOrEqualTo(Math.max(min, ceiling / 2) - 1);
        }
    }

    @Property(tries = 100)
    void resetStartsOverAtTheMinimum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int failures) {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), new SplittableRandom(seed));
        for (int i = 0; i < failures; i++) {
            backoff.nextNanos();
        }
        backoff.reset();
        assertThat(backoff.nextNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Property(tries = 50)
    void repeatedFailuresReachTheUpperHalfOfTheMaximum(@ForAll long seed) {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), new SplittableRandom(seed));
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = backoff.nextNanos();
        }
        assertThat(last).isBetween(Duration.ofMillis(2500).toNanos(), Duration.ofSeconds(5).toNanos());
    }
}
