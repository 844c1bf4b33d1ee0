package dev.ratchet.node;

import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Leadership transfers this node's core was asked for, until their target leads (complete with its id)
 * or the core gives them up (fail with {@link RaftDriver.TransferAbandonedException}).
 *
 * <p>Not thread-safe: only {@link RaftDriver}'s driver thread calls it.
 */
final class LeadershipTransfers {

    private record Transfer(String target, CompletableFuture<String> future) {
    }

    private final String nodeId;
    private final List<Transfer> transfers = new ArrayList<>();

    LeadershipTransfers(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Follows a transfer the core accepted. */
    void add(String target, CompletableFuture<String> future) {
        transfers.add(new Transfer(target, future));
    }

    /** Another node ({@code leader}) now leads: transfers to it complete, the others are abandoned. */
    void leaderKnown(String leader) {
        if (leader != null && !leader.equals(nodeId) && !transfers.isEmpty()) {
            for (Transfer t : transfers) {
                if (t.target().equals(leader)) {
                    t.future().complete(leader);
                } else {
                    t.future().completeExceptionally(new RaftDriver.TransferAbandonedException("leadership transfer to "
                            + t.target() + " abandoned: " + leader + " became leader instead"));
                }
            }
            transfers.clear();
        }
    }

    /**
     * The core drops a transfer silently: after an election timeout without the target taking over, or when
     * a later transfer names another target. While this node still leads, a transfer whose target is not the
     * core's current transferee is over. (While it follows without a known leader the target's election may
     * still be running: the soft state decides then.)
     */
    void failAbandoned(Status s) {
        if (transfers.isEmpty() || s.role() != Role.LEADER) {
            return;
        }
        for (Iterator<Transfer> it = transfers.iterator(); it.hasNext(); ) {
            Transfer t = it.next();
            if (!t.target().equals(s.leadTransferee())) {
                it.remove();
                t.future().completeExceptionally(new RaftDriver.TransferAbandonedException("leadership transfer to "
                        + t.target() + " abandoned: it did not take over within an election timeout"
                        + (s.leadTransferee() == null ? "" : " (replaced by a transfer to " + s.leadTransferee() + ")")
                        + "; " + nodeId + " still leads term " + s.term()));
            }
        }
    }

    /** The driver stopped: every transfer fails with {@code e}. */
    void failAll(NodeUnavailableException e) {
        transfers.forEach(t -> t.future().completeExceptionally(e));
        transfers.clear();
    }
}
