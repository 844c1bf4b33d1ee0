package dev.ratchet.watch;

import dev.ratchet.state.Change;
import dev.ratchet.state.ChangeBatch;
import dev.ratchet.state.ChangeHistory;
import java.util.concurrent.CompletableFuture;

/**
 * One blocking read waiting for a change to a key (or under a prefix) after a revision. It completes
 * with the node's applied revision when such a change is applied, when it cannot tell (the revision left
 * the history), or when its wait runs out; it never completes exceptionally for those reasons.
 */
final class BlockingWait {

    private final String target;
    private final boolean prefix;
    private long cursor;
    final CompletableFuture<Long> future = new CompletableFuture<>();

    BlockingWait(String target, boolean prefix, long afterRevision) {
        this.target = target;
        this.prefix = prefix;
        this.cursor = afterRevision + 1;
    }

    /** Looks at the history since the last check; completes the future if the wait is over. */
    synchronized boolean check(ChangeHistory history) {
        if (future.isDone()) {
            return true;
        }
        ChangeHistory.Slice slice;
        try {
            // An exact key is read as a prefix of itself, then filtered to equality below.
            slice = history.read(cursor, target, Integer.MAX_VALUE);
        } catch (ChangeHistory.CompactedException e) {
            return future.complete(history.head());
        }
        for (ChangeBatch b : slice.batches()) {
            for (Change c : b.changes()) {
                if (prefix || c.key().equals(target)) {
                    return future.complete(history.head());
                }
            }
        }
        if (slice.through() >= cursor) {
            cursor = slice.through() + 1;
        }
        return false;
    }
}
