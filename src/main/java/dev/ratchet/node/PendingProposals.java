package dev.ratchet.node;

import dev.ratchet.raft.Entry;
import dev.ratchet.state.CommandResult;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The futures of this node's proposals, by the log index the core gave them, until the entry at that
 * index is applied here (complete, or fail when another term's entry took the slot), is folded into an
 * installed snapshot (outcome unknown), or the driver stops.
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it (and the thread constructing the
 * driver, while it restores its own snapshot, before there are any proposals). It keeps
 * {@link DriverStats#pendingProposals()} equal to the number waiting, and times each proposal from
 * {@link #track} to its apply for {@link DriverStats#recordProposalApplied}.
 */
final class PendingProposals {

    private record Pending(long term, long trackedAtNanos, CompletableFuture<AppliedEntry> future) {
    }

    private final Map<Long, Pending> byIndex = new HashMap<>();
    private final DriverStats stats;
    private final LongSupplier nanoClock;

    /** Times proposals on {@link System#nanoTime()}. */
    PendingProposals(DriverStats stats) {
        this(stats, System::nanoTime);
    }

    /** @param nanoClock monotonic clock the apply latency is measured on */
    PendingProposals(DriverStats stats, LongSupplier nanoClock) {
        this.stats = stats;
        this.nanoClock = nanoClock;
    }

    /**
     * Remembers a proposal the core accepted at {@code index} in {@code term}. A proposal already waiting
     * on that slot (the log was reset by a snapshot install and the slot reused) was never applied: it
     * fails with {@link ProposalLostException}.
     */
    void track(long index, long term, CompletableFuture<AppliedEntry> future) {
        Pending replaced = byIndex.put(index, new Pending(term, nanoClock.getAsLong(), future));
        publishSize();
        if (replaced != null) {
            replaced.future().completeExceptionally(new ProposalLostException(index));
        }
    }

    /** The entry {@code e} was applied here with {@code result}: completes (or fails) its proposal, if ours. */
    void applied(Entry e, CommandResult result) {
        Pending pending = byIndex.remove(e.index());
        if (pending != null) {
            publishSize();
            if (pending.term() == e.term()) {
                stats.proposalsCommitted.increment();
                stats.recordProposalApplied(nanoClock.getAsLong() - pending.trackedAtNanos());
                pending.future().complete(new AppliedEntry(e.index(), result));
            } else {
                stats.proposalsFailed.increment();
                pending.future().completeExceptionally(new ProposalLostException(e.index()));
            }
        }
    }

    /** Proposals folded into a snapshot we did not apply one by one: their result is unknown here. */
    void foldedIntoSnapshot(long index) {
        Iterator<Map.Entry<Long, Pending>> it = byIndex.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> p = it.next();
            if (p.getKey() <= index) {
                stats.proposalsFailed.increment();
                p.getValue().future().completeExceptionally(new OutcomeUnknownException("the entry at index "
                        + p.getKey() + " was folded into a snapshot before it was applied here"));
                it.remove();
            }
        }
        publishSize();
    }

    /** The driver stopped: every waiting proposal fails with {@code unknown} (it may still commit). */
    void failAll(OutcomeUnknownException unknown) {
        byIndex.values().forEach(p -> p.future().completeExceptionally(unknown));
        byIndex.clear();
        publishSize();
    }

    private void publishSize() {
        stats.pendingProposals.set(byIndex.size());
    }
}
