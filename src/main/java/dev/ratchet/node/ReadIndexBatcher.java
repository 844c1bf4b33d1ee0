package dev.ratchet.node;

import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Linearizable reads on the leader, batched: every read queued during one turn of the driver loop shares
 * one read-index request (one heartbeat round). Once the core confirms leadership for that request, the
 * group waits in {@link AppliedWaiters} until this node has applied the read index. A leadership loss
 * fails the groups still waiting for confirmation with {@link NotLeaderException}.
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it.
 */
final class ReadIndexBatcher {

    private final String nodeId;
    private final AppliedWaiters waiters;
    private final LongSupplier applied;
    private final List<CompletableFuture<Long>> toStart = new ArrayList<>();
    private final Map<Long, List<CompletableFuture<Long>>> inFlight = new HashMap<>();
    private long nextReadId;

    /** @param applied this node's applied index now */
    ReadIndexBatcher(String nodeId, AppliedWaiters waiters, LongSupplier applied) {
        this.nodeId = nodeId;
        this.waiters = waiters;
        this.applied = applied;
    }

    /** Queues a read for the next {@link #startQueued}; the caller checked that this node leads. */
    void add(CompletableFuture<Long> future) {
        toStart.add(future);
    }

    /** Asks the core for one read index for every read queued since the last call. */
    void startQueued(RaftCore core) {
        if (toStart.isEmpty()) {
            return;
        }
        List<CompletableFuture<Long>> group = new ArrayList<>(toStart);
        toStart.clear();
        if (core.role() != Role.LEADER) {
            group.forEach(f -> f.completeExceptionally(new NotLeaderException(nodeId, core.leader())));
            return;
        }
        long id = ++nextReadId;
        try {
            core.readIndex(id);
        } catch (RuntimeException e) {
            group.forEach(f -> f.completeExceptionally(new NodeUnavailableException("read refused: " + e.getMessage())));
            return;
        }
        inFlight.put(id, group);
    }

    /** The core confirmed these read indexes: each group now waits for its index to be applied. */
    void confirmed(List<ReadState> readStates) {
        for (ReadState rs : readStates) {
            List<CompletableFuture<Long>> group = inFlight.remove(rs.requestId());
            if (group != null) {
                group.forEach(f -> waiters.whenApplied(rs.index(), applied.getAsLong(), f));
            }
        }
    }

    /** This node no longer leads: reads waiting for confirmation fail, naming {@code leader}. */
    void leadershipLost(String leader) {
        inFlight.values().forEach(g -> g.forEach(f -> f.completeExceptionally(new NotLeaderException(nodeId, leader))));
        inFlight.clear();
    }

    /** The driver stopped: every queued and unconfirmed read fails with {@code e}. */
    void failAll(NodeUnavailableException e) {
        toStart.forEach(f -> f.completeExceptionally(e));
        toStart.clear();
        inFlight.values().forEach(g -> g.forEach(f -> f.completeExceptionally(e)));
        inFlight.clear();
    }
}
