package dev.ratchet.node;

import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Proposal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The {@link Replicator} of a running node: proposes locally when this node leads, otherwise forwards to
 * the leader over the peer channel and then waits until this node has applied the write too, so that a
 * client reading here afterwards (even with {@code stale=true}) sees its own write.
 */
public final class ClusterNode implements Replicator {

    private final RaftDriver driver;
    private final ClusterState state;
    private final LeaderChannel leaderChannel;

    public ClusterNode(RaftDriver driver, ClusterState state, LeaderChannel leaderChannel) {
        this.driver = driver;
        this.state = state;
        this.leaderChannel = leaderChannel;
    }

    @Override
    public CompletableFuture<CommandResult> submit(Command command) {
        Proposal proposal = new Proposal(driver.nodeId(), driver.nextRequestId(), command);
        return viaLeader(
                () -> driver.propose(proposal).thenApply(AppliedEntry::result),
                leader -> leaderChannel.forwardProposal(leader, proposal)
                        .thenCompose(applied -> driver.waitApplied(applied.index()).thenApply(i -> applied.result())));
    }

    @Override
    public CompletableFuture<Void> linearizableRead() {
        return viaLeader(
                () -> driver.readIndex().thenApply(i -> null),
                leader -> leaderChannel.forwardReadIndex(leader).thenCompose(driver::waitApplied).thenApply(i -> null));
    }

    @Override
    public ClusterState state() {
        return state;
    }

    public RaftDriver driver() {
        return driver;
    }

    /**
     * Runs {@code local} if this node leads, {@code remote} with the leader's id if another node does. A
     * local attempt that finds leadership just moved is retried once through the new leader.
     */
    private <T> CompletableFuture<T> viaLeader(java.util.function.Supplier<CompletableFuture<T>> local,
            Function<String, CompletableFuture<T>> remote) {
        if (!driver.isAlive()) {
            return CompletableFuture.failedFuture(new NodeUnavailableException(driver.failure() == null
                    ? "node is not running" : "node stopped: " + driver.failure().getMessage()));
        }
        Status status = driver.status();
        if (status.role() == Role.LEADER) {
            return local.get().exceptionallyCompose(e -> {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof NotLeaderException nle && nle.leaderHint() != null
                        && !nle.leaderHint().equals(driver.nodeId())) {
                    return remote.apply(nle.leaderHint());
                }
                return CompletableFuture.failedFuture(translate(cause));
            });
        }
        String leader = status.leader();
        if (leader == null || leader.equals(driver.nodeId())) {
            return CompletableFuture.failedFuture(new NoLeaderException("no leader is known at " + driver.nodeId()
                    + " (term " + status.term() + "); an election is probably under way"));
        }
        return remote.apply(leader).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                translate(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)));
    }

    private static Throwable translate(Throwable cause) {
        if (cause instanceof NotLeaderException) {
            return new NoLeaderException("leadership changed while the request was in flight; retry");
        }
        if (cause instanceof ProposalLostException || cause instanceof NodeUnavailableException
                || cause instanceof NoLeaderException || cause instanceof OutcomeUnknownException
                || cause instanceof java.util.concurrent.TimeoutException) {
            return cause;
        }
        if (cause instanceof dev.ratchet.raft.ProposalDroppedException) {
            return new NoLeaderException("the leader is not accepting proposals right now (" + cause.getMessage() + ")");
        }
        if (cause instanceof dev.ratchet.transport.TransportException te) {
            switch (te.reason()) {
                case TIMEOUT, CONNECTION_LOST, REMOTE_FAILURE, CANCELLED:
                    // The request may have reached the leader and been applied.
                    return new OutcomeUnknownException("the leader did not answer (" + te.reason()
                            + "); the request may or may not have been applied");
                default:
                    return new NoLeaderException("the leader could not be reached: " + cause.getMessage());
            }
        }
        return cause;
    }
}
