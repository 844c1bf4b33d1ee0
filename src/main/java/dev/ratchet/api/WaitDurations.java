package dev.ratchet.api;

import java.time.Duration;

/** Parses the {@code wait} parameter of blocking reads: "30s", "500ms", "2m" or plain seconds. */
final class WaitDurations {

    /** The longest a blocking read waits (Consul caps its blocking queries at 10 minutes too). */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

    private WaitDurations() {
    }

    /** @throws BadRequestException for anything else, or a duration outside 0..10m */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_WAIT;
        }
        String t = text.trim();
        Duration d;
        try {
            d = withUnit(t);
        } catch (NumberFormatException e) {
            throw new BadRequestException("wait '" + text + "' is not a duration such as 30s, 500ms or 2m");
        }
        if (d.isNegative() || d.compareTo(MAX_WAIT) > 0) {
            throw new BadRequestException("wait must be between 0s and " + MAX_WAIT.toMinutes() + "m, not " + text);
        }
        return d;
    }

    /**
     * A whole number with an optional unit: {@code ms}, {@code s}, {@code m} or {@code h}; no unit means
     * seconds. The one parser of durations in query parameters and request bodies.
     *
     * @throws NumberFormatException if the number part is not a whole number
     */
    static Duration withUnit(String t) {
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        } else if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        } else if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        } else if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
