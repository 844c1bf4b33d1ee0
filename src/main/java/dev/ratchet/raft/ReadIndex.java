package dev.ratchet.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linearizable reads without writing to the log (thesis §6.4). The leader records its commit index as the
 * read index, then confirms it still leads by a heartbeat round: once a quorum answers a heartbeat carrying
 * a context at least as new as the read's, the read index is released. Contexts grow monotonically, so
 * one quorum of acknowledgements releases every older read at once. With {@code leaseRead}, the
 * check-quorum lease stands in for the heartbeat round (§6.4.1; relies on bounded clock drift).
 */
final class ReadIndex {

    /** Reads per node waiting for anything, so a flood of reads cannot grow memory without bound. */
    static final int MAX_PENDING_READS = 100_000;

    private record Pending(long context, long index, long requestId) { }

    private final RaftCore r;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<Long> awaitingTermCommit = new ArrayList<>();
    private final Map<String, Long> acked = new HashMap<>();
    /** Never reset, so a heartbeat answer from an earlier leadership can never confirm a newer read. */
    private long nextContext = 1;

    ReadIndex(RaftCore r) {
        this.r = r;
    }

    void reset() {
        pending.clear();
        awaitingTermCommit.clear();
        acked.clear();
    }

    void request(long requestId) {
        if (pending.size() + awaitingTermCommit.size() >= MAX_PENDING_READS) {
            throw new ProposalDroppedException("too many pending reads: " + MAX_PENDING_READS);
        }
        if (r.log.termOrZero(r.log.committed()) != r.term) {
            // §6.4 step 1: until an entry of its own term commits, the leader may not know the latest commit.
            awaitingTermCommit.add(requestId);
            return;
        }
        serve(requestId);
    }

    private void serve(long requestId) {
        long index = r.log.committed();
        if (r.quorum() == 1 && r.promotable() || (r.cfg.leaseRead() && leaseHeld())) {
            r.readStates.add(new ReadState(requestId, index));
            return;
        }
        long context = nextContext++;
        pending.addLast(new Pending(context, index, requestId));
        r.replication.broadcastHeartbeat(context);
    }

    /**
     * The lease holds while a quorum answered within half an election timeout: followers refuse to elect
     * anyone else for a full election timeout after hearing from us, and the other half absorbs message delay
     * and tick-rate drift (the bounded-clock-drift assumption of thesis §6.4.1). Otherwise reads fall back to a
     * heartbeat round.
     */
    private boolean leaseHeld() {
        long fresh = r.conf().voters().stream()
                .filter(v -> v.equals(r.id)
                        || (r.progress.get(v) != null && r.progress.get(v).ticksSinceContact < r.cfg.electionTicks() / 2))
                .count();
        return fresh >= r.quorum();
    }

    void onCommitted() {
        if (!awaitingTermCommit.isEmpty() && r.log.termOrZero(r.log.committed()) == r.term) {
            List<Long> ids = new ArrayList<>(awaitingTermCommit);
            awaitingTermCommit.clear();
            ids.forEach(this::serve);
        }
    }

    long latestContext() {
        return pending.isEmpty() ? 0 : pending.peekLast().context();
    }

    void onAck(String from, long context) {
        if (context == 0 || pending.isEmpty()) {
            return;
        }
        acked.merge(from, context, Math::max);
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            long confirmations = r.conf().voters().stream()
                    .filter(v -> v.equals(r.id) || acked.getOrDefault(v, 0L) >= p.context())
                    .count();
            if (confirmations < r.quorum()) {
                break;
            }
            pending.pollFirst();
            r.readStates.add(new ReadState(p.requestId(), p.index()));
        }
    }
}
