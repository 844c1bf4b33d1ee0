package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.MessageCodec;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import dev.ratchet.transport.PeerTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 */
public final class RaftPeerBridge implements PeerOutbox, LeaderChannel {

    private static final Logger log = LoggerFactory.getLogger(RaftPeerBridge.class);

    private final PeerTransport transport;
    private final Duration forwardTimeout;
    private final LongAdder refused = new LongAdder();
    private final LongAdder undecodable = new LongAdder();
    private final LongAdder otherIncarnation = new LongAdder();
    private final String localRaftId;
    private volatile RaftDriver driver;

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

    @Override
    public CompletableFuture<CommandResultCodec.Applied> forwardProposal(String leaderId, Proposal proposal) {
        return transport.call(RaftIds.nodeId(leaderId), PeerRequestTypes.FORWARD_PROPOSAL, CommandCodec.encode(proposal), forwardTimeout)
                .thenApply(CommandResultCodec::decode);
    }

    @Override
    public CompletableFuture<Long> forwardReadIndex(String leaderId) {
        return transport.call(RaftIds.nodeId(leaderId), PeerRequestTypes.READ_INDEX, new byte[0], forwardTimeout).thenApply(bytes -> {
            if (bytes.length != 8) {
                throw new IllegalArgumentException("read index answer of " + bytes.length + " bytes");
            }
            return ByteBuffer.wrap(bytes).getLong();
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

    public long undecodableMessages() {
        return undecodable.sum();
    }
}
