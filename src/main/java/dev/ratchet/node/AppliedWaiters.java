package dev.ratchet.node;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for this node to apply a log index (a {@link RaftDriver#waitApplied} caller, or a
 * confirmed read index), released in index order as entries are applied, each with the applied index
 * at that moment.
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it.
 */
final class AppliedWaiters {

    private final TreeMap<Long, List<CompletableFuture<Long>>> byIndex = new TreeMap<>();

    /** Completes {@code future} now if {@code applied} has reached {@code index}, else once it does. */
    void whenApplied(long index, long applied, CompletableFuture<Long> future) {
        if (applied >= index) {
            future.complete(applied);
        } else {
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(future);
        }
    }

    /** Completes every waiter for an index up to {@code applied}. */
    void release(long applied) {
        while (!byIndex.isEmpty() && byIndex.firstKey() <= applied) {
            byIndex.pollFirstEntry().getValue().forEach(f -> f.complete(applied));
        }
    }

    /** The driver stopped: every waiter fails with {@code e}. */
    void failAll(NodeUnavailableException e) {
        byIndex.values().forEach(g -> g.forEach(f -> f.completeExceptionally(e)));
        byIndex.clear();
    }
}
