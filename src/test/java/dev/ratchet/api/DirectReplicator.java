package dev.ratchet.api;

import dev.ratchet.node.NoLeaderException;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import java.util.concurrent.CompletableFuture;

/**
 * A single-replica stand-in for the node in API slice tests: commands apply at once, in order, to a real
 * {@link ClusterState}. It can be switched to "no leader" to check how the API reports it.
 */
final class DirectReplicator implements Replicator {

    private final ClusterState state = new ClusterState();
    private long nextIndex = 1;
    volatile boolean leaderless;
    /** When set, writes and read barriers never complete (a leader cut off from its quorum). */
    volatile boolean unanswered;
    /** Linearizable-read barriers asked for, so tests can tell which reads went through one. */
    final java.util.concurrent.atomic.LongAdder barriers = new java.util.concurrent.atomic.LongAdder();

    @Override
    public synchronized CompletableFuture<CommandResult> submit(Command command) {
        if (leaderless) {
            return CompletableFuture.failedFuture(new NoLeaderException("election in progress"));
        }
        if (unanswered) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(state.apply(nextIndex++, command));
    }

    @Override
    public CompletableFuture<Void> linearizableRead() {
        barriers.increment();
        if (leaderless) {
            return CompletableFuture.failedFuture(new NoLeaderException("election in progress"));
        }
        if (unanswered) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ClusterState state() {
        return state;
    }
}
