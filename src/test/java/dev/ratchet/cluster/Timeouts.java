package dev.ratchet.cluster;

import java.time.Duration;

/** Waits for real-process tests, stretched when the {@code CI} variable says we share a small machine. */
public final class Timeouts {

    /** Factor applied under CI (or {@code RATCHET_TEST_TIME_FACTOR}). */
    public static final double FACTOR = factor();

    private Timeouts() {
    }

    public static Duration scaled(Duration d) {
        return Duration.ofMillis((long) (d.toMillis() * FACTOR));
    }

    public static Duration seconds(long s) {
        return scaled(Duration.ofSeconds(s));
    }

    private static double factor() {
        String explicit = System.getenv("RATCHET_TEST_TIME_FACTOR");
        if (explicit != null && !explicit.isBlank()) {
            return Double.parseDouble(explicit);
        }
        String ci = System.getenv("CI");
        String gitlab = System.getenv("GITLAB_CI");
        return (ci != null && !ci.isBlank() && !ci.equals("false")) || gitlab != null ? 3.0 : 1.0;
    }
}
