package dev.ratchet.node;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member side of joining: checks the joiner's proof of the token, records its addresses and adds it
 * as a learner (through the leader), then answers with the roots encrypted for it. A node that is already
 * a member (one that was away past every root's life) gets the roots without any membership change.
 */
public final class JoinService {

    private static final Logger log = LoggerFactory.getLogger(JoinService.class);

    private final JoinProtocol protocol;
    private final ClusterNode node;
    private final RaftPeerBridge bridge;
    private final Supplier<byte[]> localRoots;
    private final Clock clock;
    private final Duration timeout;
    private final LongAdder refused = new LongAdder();
    private final LongAdder admitted = new LongAdder();

    JoinService(JoinProtocol protocol, ClusterNode node, RaftPeerBridge bridge, Supplier<byte[]> localRoots, Clock clock,
            Duration timeout) {
        this.protocol = protocol;
        this.node = node;
        this.bridge = bridge;
        this.localRoots = localRoots;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Handles one join request; blocks up to the timeout while the membership change commits.
     *
     * @throws JoinProtocol.JoinRefusedException if the proof is wrong (counted)
     * @throws NoLeaderException or {@link NodeUnavailableException} if the cluster cannot admit anyone now
     */
    public JoinProtocol.JoinResponse join(JoinProtocol.JoinRequest request) throws InterruptedException {
        Member member;
        try {
            member = protocol.verify(request, clock.millis());
        } catch (JoinProtocol.JoinRefusedException e) {
            refused.increment();
            log.warn("refused a join request for '{}': {}", request == null ? null : request.nodeId(), e.getMessage());
            throw e;
        }
        if (request.isRefreshOnly()) {
            // A member that lost touch asks only for the current roots: never change membership for it,
            // so a node an operator removed cannot re-add itself this way.
            if (!node.driver().status().conf().contains(member.id())) {
                refused.increment();
                log.warn("refused a roots refresh for '{}': not a member", member.id());
                throw new JoinProtocol.JoinRefusedException(member.id() + " is not a member of this cluster;"
                        + " to join again, start it with an empty data directory");
            }
            admitted.increment();
            return grant(request);
        }
        try {
            if (!member.equals(node.state().members().get(member.id()))) {
                await(node.submit(new Command.SetMember(member)));
            }
            Status status = node.driver().status();
            if (!status.conf().contains(member.id())) {
                ConfChange change = new ConfChange(ConfChange.Type.ADD_LEARNER, member.id());
                if (status.role() == Role.LEADER) {
                    await(node.driver().proposeConfChange(change));
                } else if (status.leader() != null) {
                    await(bridge.forwardConfChange(status.leader(), change));
                } else {
                    throw new NoLeaderException("no leader to admit " + member.id() + "; retry shortly");
                }
                log.info("admitted {} as a learner ({})", member.id(), member.peerAddress());
            }
        } catch (TimeoutException e) {
            throw new NodeUnavailableException("the cluster did not admit " + member.id() + " within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new NodeUnavailableException("admitting " + member.id() + " failed: " + cause, cause);
        }
        admitted.increment();
        return grant(request);
    }

    private JoinProtocol.JoinResponse grant(JoinProtocol.JoinRequest request) {
        byte[] roots = node.state().roots();
        if (roots.length == 0) {
            roots = localRoots.get();
        }
        return protocol.grant(request, roots, List.copyOf(node.state().members().values()));
    }

    private <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long admittedCount() {
        return admitted.sum();
    }
}
