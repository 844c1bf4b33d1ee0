package dev.ratchet.node;

import java.time.Duration;

/**
 * Dead-voter cleanup: the leader removes a voter it has not heard from for {@code deadAfter}, one at a
 * time, never leaving fewer than {@code minVoters} voters. Off when {@code deadAfter} is null.
 *
 * <p>Off by default because a removal is for good: the removed incarnation is barred and the roots rotate
 * past its certificates, so a node that was only partitioned or down for maintenance longer than
 * {@code deadAfter} must come back with an empty data directory. Immutable.
 *
 * @param deadAfter how long the leader must not have heard from a voter before removing it; null = off
 * @param minVoters the cleanup never removes a voter when that would leave fewer voters than this
 */
public record AutopilotSettings(Duration deadAfter, int minVoters) {

    /** The default of {@code ratchet.autopilot.min-voters}: a 3-voter cluster survives one more failure. */
    public static final int DEFAULT_MIN_VOTERS = 3;

    /** Cleanup off. */
    public static final AutopilotSettings OFF = new AutopilotSettings(null, DEFAULT_MIN_VOTERS);

    /** @throws IllegalArgumentException for a negative or zero {@code deadAfter}, or {@code minVoters} outside 1..7 */
    public AutopilotSettings {
        if (deadAfter != null && (deadAfter.isNegative() || deadAfter.isZero())) {
            throw new IllegalArgumentException("deadAfter must be positive or null (off): " + deadAfter);
        }
        if (minVoters < 1 || minVoters > 7) {
            throw new IllegalArgumentException("minVoters must be 1..7: " + minVoters);
        }
    }

    /** True when dead voters are removed. */
    public boolean enabled() {
        return deadAfter != null;
    }
}
