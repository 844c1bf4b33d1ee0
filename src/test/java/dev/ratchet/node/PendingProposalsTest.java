package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.state.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The pending-proposal count and apply latency that {@link PendingProposals} publishes through
 * {@link DriverStats}, on a hand-driven clock: each proposal is timed from acceptance to apply, lost
 * ones are not timed, and the count follows every way a proposal stops waiting.
 */
class PendingProposalsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DriverStats stats = new DriverStats();
    private final PendingProposals pending = new PendingProposals(stats, now::get);
    private final List<Long> latencies = new ArrayList<>();

    PendingProposalsTest() {
        stats.setApplyListener(latencies::add);
    }

    private static Entry entry(long index, long term) {
        return new Entry(index, term, EntryType.COMMAND, new byte[0]);
    }

    @Test
    void appliedProposalsAreTimedFromAcceptanceAndLeaveTheCount() {
        CompletableFuture<AppliedEntry> first = new CompletableFuture<>();
        pending.track(5, 2, first);
        now.addAndGet(3_000_000);
        pending.track(6, 2, new CompletableFuture<>());
        assertThat(stats.pendingProposals()).isEqualTo(2);

        now.addAndGet(7_000_000);
        pending.applied(entry(5, 2), new CommandResult.Done(1));
        assertThat(first).isCompletedWithValue(new AppliedEntry(5, new CommandResult.Done(1)));
        assertThat(stats.pendingProposals()).isEqualTo(1);
        assertThat(latencies).containsExactly(10_000_000L);

        now.addAndGet(1_000_000);
        pending.applied(entry(6, 2), new CommandResult.Done(2));
        assertThat(latencies).containsExactly(10_000_000L, 8_000_000L);
        assertThat(stats.proposalApplies()).isEqualTo(2);
        assertThat(stats.proposalApplyNanos()).isEqualTo(18_000_000L);
        assertThat(stats.pendingProposals()).isZero();
    }

    @Test
    void lostFoldedAndAbandonedProposalsLeaveTheCountUntimed() {
        pending.track(1, 1, new CompletableFuture<>());
        pending.track(2, 1, new CompletableFuture<>());
        pending.track(3, 1, new CompletableFuture<>());
        pending.track(4, 1, new CompletableFuture<>());
        pending.applied(entry(1, 2), new CommandResult.Done(1)); // another term's entry took the slot
        assertThat(stats.pendingProposals()).isEqualTo(3);
        pending.foldedIntoSnapshot(2);
        assertThat(stats.pendingProposals()).isEqualTo(2);
        pending.failAll(new OutcomeUnknownException("stopping"));
        assertThat(stats.pendingProposals()).isZero();
        assertThat(latencies).isEmpty();
        assertThat(stats.proposalApplies()).isZero();
        assertThat(stats.proposalsFailed()).isEqualTo(2);
    }

    @Test
    void aSlotReusedAfterASnapshotInstallCountsOnce() {
        CompletableFuture<AppliedEntry> old = new CompletableFuture<>();
        pending.track(7, 1, old);
        pending.track(7, 3, new CompletableFuture<>());
        assertThat(old).isCompletedExceptionally();
        assertThat(stats.pendingProposals()).isEqualTo(1);
    }
}
