package dev.ratchet.node;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counters the driver keeps for the metrics layer; read from any thread. Latencies are kept as totals
 * and maxima here; histograms belong to the Micrometer binder that samples these.
 */
public final class DriverStats {

    final LongAdder proposals = new LongAdder();
    final LongAdder proposalsCommitted = new LongAdder();
    final LongAdder proposalsFailed = new LongAdder();
    final LongAdder elections = new LongAdder();
    final LongAdder applied = new LongAdder();
    final LongAdder inboxDrops = new LongAdder();
    final LongAdder leaderChanges = new LongAdder();
    final LongAdder syncs = new LongAdder();
    final LongAdder syncedEntries = new LongAdder();
    final LongAdder syncNanos = new LongAdder();
    final AtomicLong lastSyncNanos = new AtomicLong();
    final LongAdder snapshots = new LongAdder();
    final LongAdder snapshotNanos = new LongAdder();
    /** The part of {@link #snapshotNanos} spent capturing the state on the driver thread. */
    final LongAdder snapshotCaptureNanos = new LongAdder();
    final LongAdder proposalApplies = new LongAdder();
    final LongAdder proposalApplyNanos = new LongAdder();
    final AtomicLong pendingProposals = new AtomicLong();
    /** Whether a snapshot was captured and is being encoded and written (set by the driver thread). */
    volatile boolean snapshotInProgress;
    private volatile SyncListener syncListener = (nanos, entries) -> { };
    private volatile ApplyListener applyListener = nanos -> { };
    private volatile LongConsumer leaderContactListener = nanos -> { };

    /** Told of every sync (group commit) with its duration and batch size; must not block. */
    public interface SyncListener {
        void synced(long nanos, int entries);
    }

    public void setSyncListener(SyncListener listener) {
        this.syncListener = listener;
    }

    /**
     * Told, on the driver thread, of every proposal of this node applied here in its own term, with the
     * time from the core accepting it to its being applied; must not block.
     */
    public interface ApplyListener {
        void applied(long nanos);
    }

    /** Replaces the apply listener (one at a time: the metrics binder installs it). */
    public void setApplyListener(ApplyListener listener) {
        this.applyListener = listener;
    }

    /**
     * Replaces the listener told, on the driver thread, of each gap between two consecutive leader messages
     * this follower stepped, across an election too ({@link LeaderContactClock}); must not block.
     */
    public void setLeaderContactListener(LongConsumer listener) {
        this.leaderContactListener = listener;
    }

    void recordLeaderContactGap(long nanos) {
        leaderContactListener.accept(nanos);
    }

    void recordProposalApplied(long nanos) {
        proposalApplies.increment();
        proposalApplyNanos.add(nanos);
        applyListener.applied(nanos);
    }

    void recordSync(long nanos, int entries) {
        syncs.increment();
        syncedEntries.add(entries);
        syncNanos.add(nanos);
        lastSyncNanos.set(nanos);
        syncListener.synced(nanos, entries);
    }

    /** A snapshot saved: {@code nanos} from capture to adoption, {@code captureNanos} of it on the driver thread. */
    void recordSnapshot(long nanos, long captureNanos) {
        snapshots.increment();
        snapshotNanos.add(nanos);
        snapshotCaptureNanos.add(captureNanos);
    }

    public long proposals() {
        return proposals.sum();
    }

    /** Proposals made on this node that were committed and applied in the term they were made in. */
    public long proposalsCommitted() {
        return proposalsCommitted.sum();
    }

    /** Proposals made on this node that were lost: overwritten by another leader or folded into a snapshot. */
    public long proposalsFailed() {
        return proposalsFailed.sum();
    }

    /** Proposals of this node the core accepted that are not applied, lost or abandoned yet. */
    public long pendingProposals() {
        return pendingProposals.get();
    }

    /** Proposals of this node applied here in their own term (the count behind the apply latency). */
    public long proposalApplies() {
        return proposalApplies.sum();
    }

    /** Total time from acceptance to apply of the {@link #proposalApplies()} proposals. */
    public long proposalApplyNanos() {
        return proposalApplyNanos.sum();
    }

    /** Elections this node started as a candidate (after a successful pre-vote). */
    public long elections() {
        return elections.sum();
    }

    public long applied() {
        return applied.sum();
    }

    public long inboxDrops() {
        return inboxDrops.sum();
    }

    public long leaderChanges() {
        return leaderChanges.sum();
    }

    public long syncs() {
        return syncs.sum();
    }

    public long syncedEntries() {
        return syncedEntries.sum();
    }

    public long syncNanos() {
        return syncNanos.sum();
    }

    public long snapshots() {
        return snapshots.sum();
    }

    public long snapshotNanos() {
        return snapshotNanos.sum();
    }

    /** 1 while a snapshot captured by the driver is being encoded and written beside the loop, else 0. */
    public int snapshotInProgress() {
        return snapshotInProgress ? 1 : 0;
    }

    /** Time the driver thread spent capturing states for snapshots (the rest of {@link #snapshotNanos} ran beside it). */
    public long snapshotCaptureNanos() {
        return snapshotCaptureNanos.sum();
    }
}
