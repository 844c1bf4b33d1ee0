package dev.ratchet.node;

import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import java.util.concurrent.CompletableFuture;

/**
 * The node as the API sees it: submit a command to the cluster, wait for linearizable reads, read the
 * local replica.
 *
 * <p>Every method returns at once and may be called from any thread. Futures complete exceptionally with
 * {@link NoLeaderException} when no leader is known, {@link NodeUnavailableException} when this node
 * cannot take part (storage failed, shutting down), or {@link java.util.concurrent.TimeoutException}
 * when the outcome is unknown.
 */
public interface Replicator {

    /**
     * Proposes a command (forwarded to the leader when this node is not the leader). Completes with the
     * result once the command is committed and applied on this node, so a stale read here that follows
     * sees it.
     */
    CompletableFuture<CommandResult> submit(Command command);

    /**
     * Completes once this node's state includes every write committed before the call: the leader
     * confirms its leadership with a heartbeat round (ReadIndex) and this node applies up to that index.
     */
    CompletableFuture<Void> linearizableRead();

    /** The local replica, for reads after {@link #linearizableRead()} or stale reads. */
    ClusterState state();
}
