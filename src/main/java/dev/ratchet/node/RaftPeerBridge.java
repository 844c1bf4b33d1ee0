package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.MessageCodec;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.TransportException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a {@link RaftDriver} to the {@link PeerTransport}: Raft messages out and in, and the
 * leader-side handlers for forwarded proposals and read-index requests. A message whose sender field
 * differs from the peer authenticated by TLS is refused: a member cannot speak for another.
 *
 * <p>Raft speaks Raft ids ({@code <nodeId>~<incarnation>}, see {@link RaftIds}); TLS and the transport
 * know node ids. Messages are routed by the node-id part. A message for another incarnation of this
 * node (the one whose data directory was lost and that this process replaces) is dropped without an
 * answer: this incarnation has none of its log, term or vote.
 *
 * <p>Forwarding batches (issue 14): the proposals and read-index requests a follower forwards go through a
 * {@link CallBatcher} per leader, so those that arrive while a call is under way leave together in one
 * frame and one round trip ({@link PeerRequestTypes#FORWARD_PROPOSALS}; concurrent reads share one
 * {@link PeerRequestTypes#READ_INDEX} call), and the leader proposes a whole batch in one driver step. A
 * leader that does not know the batch request (an older version) gets the proposals one call each.
 */
public final class RaftPeerBridge implements PeerOutbox, LeaderChannel {

    private static final Logger log = LoggerFactory.getLogger(RaftPeerBridge.class);

    private final PeerTransport transport;
    private final Duration forwardTimeout;
    /** Proposals per forwarded batch, at most. */
    static final int MAX_BATCH_PROPOSALS = 256;
    /** Bytes of proposals per forwarded batch, at most (a larger single proposal goes alone). */
    static final long MAX_BATCH_BYTES = 1024 * 1024;
    /**
     * Proposal batches under way per leader. Two, so that what arrives during one batch's commit can join
     * the leader's next Ready instead of waiting for the whole round trip.
     */
    static final int PROPOSAL_BATCHES_IN_FLIGHT = 2;
    /** Forwarded requests that may wait per leader and kind before new ones are refused. */
    static final int MAX_QUEUED = 10_000;

    private final LongAdder refused = new LongAdder();
    private final LongAdder undecodable = new LongAdder();
    private final LongAdder otherIncarnation = new LongAdder();
    private final LongAdder refusedBatches = new LongAdder();
    private final LongAdder malformedAnswers = new LongAdder();
    private final Map<String, CallBatcher<byte[], CommandResultCodec.Applied>> proposalBatchers = new ConcurrentHashMap<>();
    private final Map<String, CallBatcher<Boolean, Long>> readBatchers = new ConcurrentHashMap<>();
    private final String localRaftId;
    private volatile RaftDriver driver;
    /** Completes forwarded batches whose local apply the driver reported (one hand-off per batch). */
    private final java.util.concurrent.ExecutorService completions;

    /**
     * @param localRaftId this incarnation's Raft id; its node-id part is the transport's local id
     */
    public RaftPeerBridge(PeerTransport transport, String localRaftId, Duration forwardTimeout) {
        if (!RaftIds.nodeId(localRaftId).equals(transport.localId())) {
            throw new IllegalArgumentException("Raft id " + localRaftId + " is not an incarnation of " + transport.localId());
        }
        this.transport = transport;
        this.localRaftId = localRaftId;
        this.forwardTimeout = forwardTimeout;
        this.completions = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ratchet-forward-completions-" + transport.localId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the completion thread; batches still waiting for the local apply then complete on the driver. */
    public void close() {
        completions.shutdown();
    }

    /** Starts delivering peer traffic to the driver and answering forwarded requests. */
    public void attach(RaftDriver raftDriver) {
        this.driver = raftDriver;
        transport.setMessageConsumer(this::onMessage);
        transport.registerHandler(PeerRequestTypes.FORWARD_PROPOSAL, (peer, payload) -> {
            Proposal proposal = CommandCodec.decode(payload);
            if (!RaftIds.nodeId(proposal.origin()).equals(peer)) {
                refused.increment();
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "proposal origin " + proposal.origin() + " is not the sending peer " + peer));
            }
            return raftDriver.propose(proposal).thenApply(a -> CommandResultCodec.encode(a.index(), a.result()));
        });
        transport.registerHandler(PeerRequestTypes.FORWARD_PROPOSALS, new ForwardedBatchHandler(raftDriver, refusedBatches));
        transport.registerHandler(PeerRequestTypes.FORWARD_CONF_CHANGE, (peer, payload) ->
                raftDriver.proposeConfChange(ConfChange.decode(payload))
                        .thenApply(a -> ByteBuffer.allocate(8).putLong(a.index()).array()));
        transport.registerHandler(PeerRequestTypes.READ_INDEX, (peer, payload) -> raftDriver.readIndex()
                .thenApply(index -> ByteBuffer.allocate(8).putLong(index).array()));
    }

    private void onMessage(String peerId, byte[] payload) {
        Message message;
        try {
            message = MessageCodec.decode(payload);
        } catch (RuntimeException e) {
            undecodable.increment();
            log.warn("dropped an undecodable Raft message from {}: {}", peerId, e.getMessage());
            return;
        }
        if (!message.to().equals(localRaftId)) {
            if (RaftIds.sameNode(message.to(), localRaftId)) {
                // For the incarnation this process replaces: it must get no answer from us.
                otherIncarnation.increment();
                return;
            }
            refused.increment();
            log.warn("dropped a Raft message from {} addressed to {}", peerId, message.to());
            return;
        }
        if (!RaftIds.nodeId(message.from()).equals(peerId)) {
            refused.increment();
            log.warn("dropped a Raft message claiming to be from {} on {}'s authenticated connection",
                    message.from(), peerId);
            return;
        }
        RaftDriver d = driver;
        if (d != null) {
            d.receive(message);
        }
    }

    @Override
    public void send(Message message) {
        try {
            transport.send(RaftIds.nodeId(message.to()), MessageCodec.encode(message));
        } catch (IllegalArgumentException e) {
            // Too large for a frame (or an unknown peer): Raft will retry; the driver must not die of it.
            undecodable.increment();
            log.warn("could not send a {} to {}: {}", message.getClass().getSimpleName(), message.to(), e.getMessage());
        }
    }

    /**
     * Batched with the other proposals forwarded to the same leader meanwhile. Besides applied on the leader,
     * the write is applied here too when the future completes successfully, unless this node's driver
     * stopped (one wait on the driver per batch, not one per proposal).
     */
    @Override
    public CompletableFuture<CommandResultCodec.Applied> forwardProposal(String leaderId, Proposal proposal) {
        String leader = RaftIds.nodeId(leaderId);
        return proposalBatchers.computeIfAbsent(leader, l -> new CallBatcher<>(
                (items, futures) -> sendProposals(l, items, futures), p -> p.length + 4,
                MAX_BATCH_PROPOSALS, MAX_BATCH_BYTES, PROPOSAL_BATCHES_IN_FLIGHT, MAX_QUEUED)).submit(CommandCodec.encode(proposal));
    }

    /** Every read waiting when a call leaves shares its read index (all of them started before it was asked). */
    @Override
    public CompletableFuture<Long> forwardReadIndex(String leaderId) {
        String leader = RaftIds.nodeId(leaderId);
        return readBatchers.computeIfAbsent(leader, l -> new CallBatcher<>(
                (items, futures) -> sendReadIndex(l, futures), r -> 0, MAX_QUEUED, 1, 1, MAX_QUEUED)).submit(Boolean.TRUE);
    }

    private CompletionStage<?> sendProposals(String leader, List<byte[]> encoded,
            List<CompletableFuture<CommandResultCodec.Applied>> futures) {
        return transport.call(leader, PeerRequestTypes.FORWARD_PROPOSALS, ForwardBatchCodec.encodeRequest(encoded), forwardTimeout)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return completeBatch(leader, answer, futures);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof TransportException te && te.reason() == TransportException.Reason.NO_HANDLER) {
                        // A leader from before batching refused the request unseen: nothing was proposed.
                        return sendOneByOne(leader, encoded, futures);
                    }
                    return CompletableFuture.<Void>failedFuture(cause);
                }).thenCompose(stage -> stage);
    }

    private CompletableFuture<Void> completeBatch(String leader, byte[] answer,
            List<CompletableFuture<CommandResultCodec.Applied>> futures) {
        List<ForwardOutcome> outcomes;
        try {
            outcomes = ForwardBatchCodec.decodeAnswer(answer, futures.size());
        } catch (IllegalArgumentException e) {
            malformedAnswers.increment();
            log.warn("the answer of {} to a forwarded batch is malformed: {}", leader, e.getMessage());
            return CompletableFuture.failedFuture(new OutcomeUnknownException("the leader's answer to a forwarded batch"
                    + " is malformed (" + e.getMessage() + "); the writes may or may not have been applied"));
        }
        List<Object> results = new ArrayList<>(outcomes.size());
        long highest = 0;
        for (ForwardOutcome o : outcomes) {
            if (o instanceof ForwardOutcome.Applied a) {
                try {
                    CommandResultCodec.Applied applied = CommandResultCodec.decode(a.result());
                    highest = Math.max(highest, applied.index());
                    results.add(applied);
                } catch (RuntimeException e) {
                    malformedAnswers.increment();
                    results.add(new OutcomeUnknownException("the leader's result for a forwarded write does not decode ("
                            + e.getMessage() + "); it was applied there"));
                }
            } else {
                results.add(((ForwardOutcome.Failed) o).toException(leader));
            }
        }
        RaftDriver d = driver;
        CompletableFuture<Long> here = d == null || highest == 0 ? CompletableFuture.completedFuture(0L) : d.waitApplied(highest);
        offDriver(here, (index, e) -> {
            // Completed even if the wait failed: the caller's own wait for its index reports that.
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof CommandResultCodec.Applied applied) {
                    futures.get(i).complete(applied);
                } else {
                    futures.get(i).completeExceptionally((Throwable) results.get(i));
                }
            }
            return null;
        });
        // The next batch may leave now: waiting here for the local apply (the commit index still has to
        // reach this node, and be synced) would put that delay between every two batches.
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> sendOneByOne(String leader, List<byte[]> encoded,
            List<CompletableFuture<CommandResultCodec.Applied>> futures) {
        CompletableFuture<?>[] calls = new CompletableFuture<?>[encoded.size()];
        for (int i = 0; i < encoded.size(); i++) {
            CompletableFuture<CommandResultCodec.Applied> future = futures.get(i);
            calls[i] = transport.call(leader, PeerRequestTypes.FORWARD_PROPOSAL, encoded.get(i), forwardTimeout)
                    .thenApply(CommandResultCodec::decode)
                    .whenComplete((applied, e) -> {
                        if (e != null) {
                            future.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                        } else {
                            future.complete(applied);
                        }
                    });
        }
        return CompletableFuture.allOf(calls).exceptionally(e -> null);
    }

    private CompletionStage<?> sendReadIndex(String leader, List<CompletableFuture<Long>> futures) {
        return transport.call(leader, PeerRequestTypes.READ_INDEX, new byte[0], forwardTimeout).thenCompose(bytes -> {
            if (bytes.length != 8) {
                malformedAnswers.increment();
                throw new IllegalArgumentException("read index answer of " + bytes.length + " bytes");
            }
            long index = ByteBuffer.wrap(bytes).getLong();
            RaftDriver d = driver;
            CompletableFuture<Long> here = d == null ? CompletableFuture.completedFuture(0L) : d.waitApplied(index);
            offDriver(here, (i, e) -> {
                futures.forEach(f -> f.complete(index));
                return null;
            });
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Runs {@code then} when {@code applied} completes: at once on this thread (a transport reader) if it
     * already has, else on the completion thread, once per batch. Never on the driver thread, which
     * completes the local wait: the callers' continuations (the API's answer, the servlet's async
     * dispatch) would hold up its next Ready, and with it this follower's acknowledgements to the leader,
     * so that two forwarding followers slowed every commit.
     */
    private <T> CompletableFuture<T> offDriver(CompletableFuture<Long> applied,
            java.util.function.BiFunction<Long, Throwable, T> then) {
        return applied.isDone() ? applied.handle(then) : applied.handleAsync(then, task -> {
            try {
                completions.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                task.run();
            }
        });
    }

    /** Asks the leader for a membership change; completes with the index it was applied at on the leader. */
    public CompletableFuture<Long> forwardConfChange(String leaderId, ConfChange change) {
        return transport.call(RaftIds.nodeId(leaderId), PeerRequestTypes.FORWARD_CONF_CHANGE, change.encode(), forwardTimeout)
                .thenApply(bytes -> ByteBuffer.wrap(bytes).getLong());
    }

    /** Messages refused because the claimed sender was not the authenticated peer. */
    public long refusedMessages() {
        return refused.sum();
    }

    /** Messages for another incarnation of this node id, dropped unanswered. */
    public long otherIncarnationMessages() {
        return otherIncarnation.sum();
    }

    /** Forwarded batches this node refused as malformed or carrying another node's proposals. */
    public long refusedBatches() {
        return refusedBatches.sum();
    }

    /** Answers to this node's forwarded requests that did not decode. */
    public long malformedAnswers() {
        return malformedAnswers.sum();
    }

    /** Forwarded batches of proposals sent, and proposals in them, to every leader so far: {batches, proposals}. */
    public long[] forwardedProposalBatches() {
        long[] sum = new long[2];
        proposalBatchers.values().forEach(b -> {
            sum[0] += b.batchesSent();
            sum[1] += b.requestsSent();
        });
        return sum;
    }

    public long undecodableMessages() {
        return undecodable.sum();
    }
}
