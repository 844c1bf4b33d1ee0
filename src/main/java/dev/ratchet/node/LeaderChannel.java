package dev.ratchet.node;

import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import java.util.concurrent.CompletableFuture;

/**
 * How a follower reaches the leader for work only the leader can do. Implementations never block, may be
 * called from many threads at once and may batch concurrent requests into one round trip; the futures
 * fail if the leader cannot be reached or is no longer the leader, and may complete on a transport or
 * completion thread (never one per request).
 */
public interface LeaderChannel {

    /** Asks the leader to propose; completes with the index and result once applied on the leader. */
    CompletableFuture<CommandResultCodec.Applied> forwardProposal(String leaderId, Proposal proposal);

    /** Asks the leader for a confirmed read index (thesis §6.4, "reads from followers"). */
    CompletableFuture<Long> forwardReadIndex(String leaderId);
}
