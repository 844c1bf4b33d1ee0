package dev.ratchet.transport;

import java.time.Duration;

/** Real-time test bounds, tripled when the {@code CI} environment variable is set. */
final class TestTimeouts {

    static final int FACTOR = System.getenv("CI") != null ? 3 : 1;

    private TestTimeouts() {
    }

    static Duration scaled(Duration base) {
        return base.multipliedBy(FACTOR);
    }

    /** The default bound for "eventually" in transport tests. */
    static Duration eventually() {
        return scaled(Duration.ofSeconds(10));
    }
}
