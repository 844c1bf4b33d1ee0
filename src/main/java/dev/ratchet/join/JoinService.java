package dev.ratchet.join;

import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.state.Member;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member side of joining: checks the joiner's proof of the token, asks the cluster to admit it, then
 * answers with the roots encrypted for it. What "admit" means (a new learner, a known member refreshing,
 * a replacement of an old incarnation, a refusal) is the {@link Admission}'s decision, made on the
 * leader; this class only speaks the protocol.
 *
 * <p>Thread-safe: called from HTTP threads.
 */
public final class JoinService {

    private static final Logger log = LoggerFactory.getLogger(JoinService.class);

    /**
     * What the join path needs from the running node. Implementations may be called from any thread.
     */
    public interface Admission {

        /** True if this incarnation of {@code member} is in the Raft configuration this node knows. */
        boolean isMember(Member member, String incarnation);

        /**
         * Admits a joiner that proved the token: records its addresses and, when it is new (or replaces a
         * stale incarnation of its id), adds it as a learner through the leader. Completes once the change
         * is in the leader's log; never blocks.
         *
         * <p>Fails with {@link JoinProtocol.JoinRefusedException} when the join must not go ahead (for
         * example the id belongs to a member the leader still hears from), with
         * {@link dev.ratchet.node.NoLeaderException} or {@link NodeUnavailableException} when the cluster
         * cannot admit anyone now (retry).
         */
        CompletableFuture<?> admit(Member member, String incarnation);

        /** The serialized roots to hand out (the replicated ones, or this node's own before they exist). */
        byte[] roots();

        /** The member records to hand the joiner, so it can dial the others at once. */
        List<Member> members();
    }

    private final JoinProtocol protocol;
    private final Admission admission;
    private final Clock clock;
    private final Duration timeout;
    private final LongAdder refused = new LongAdder();
    private final LongAdder admitted = new LongAdder();

    public JoinService(JoinProtocol protocol, Admission admission, Clock clock, Duration timeout) {
        this.protocol = protocol;
        this.admission = admission;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Handles one join request; blocks up to the timeout while the membership change is proposed.
     *
     * @throws JoinProtocol.JoinRefusedException if the proof is wrong or the admission refused (counted)
     * @throws dev.ratchet.node.NoLeaderException or {@link NodeUnavailableException} if the cluster cannot
     *     admit anyone now
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
            if (!admission.isMember(member, request.incarnationOrLegacy())) {
                refused.increment();
                log.warn("refused a roots refresh for '{}': not a member", member.id());
                throw new JoinProtocol.JoinRefusedException(member.id() + " is not a member of this cluster;"
                        + " to join again, start it with an empty data directory");
            }
            admitted.increment();
            return grant(request);
        }
        try {
            admission.admit(member, request.incarnationOrLegacy()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NodeUnavailableException("the cluster did not admit " + member.id() + " within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JoinProtocol.JoinRefusedException refusal) {
                refused.increment();
                log.warn("refused a join request for '{}': {}", member.id(), refusal.getMessage());
                throw refusal;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new NodeUnavailableException("admitting " + member.id() + " failed: " + cause, cause);
        }
        admitted.increment();
        return grant(request);
    }

    private JoinProtocol.JoinResponse grant(JoinProtocol.JoinRequest request) {
        return protocol.grant(request, admission.roots(), admission.members());
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long admittedCount() {
        return admitted.sum();
    }
}
