package dev.ratchet.watch;

import java.time.Duration;

/**
 * Limits of the watch machinery.
 *
 * @param maxWatchers open SSE watches a node serves at once (more are refused with 503)
 * @param maxWaiters blocking reads a node holds at once (more are refused with 503)
 * @param sendTimeout a watch whose one write to its client has been blocked this long is cut off
 * @param progressInterval how often an idle watch gets a progress event carrying the revision it is
 *     complete to (moves the client's resume point, and finds dead connections)
 * @param batchesPerTurn change batches one watcher sends before yielding its sender thread to others
 */
public record WatchSettings(int maxWatchers, int maxWaiters, Duration sendTimeout, Duration progressInterval,
        int batchesPerTurn) {

    public static final WatchSettings DEFAULTS = new WatchSettings(10_000, 10_000, Duration.ofSeconds(30), Duration.ofSeconds(5), 64);

    public WatchSettings {
        if (maxWatchers < 1 || maxWaiters < 1 || batchesPerTurn < 1) {
            throw new IllegalArgumentException("watch limits must be positive");
        }
        if (progressInterval.isNegative() || progressInterval.isZero() || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("progress interval and send timeout must be positive");
        }
    }
}
