package dev.ratchet.join;

import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.state.JoinTokenRecord;
import dev.ratchet.state.Member;
import java.security.SecureRandom;
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
 * The member side of joining: hands out one-time challenges, checks the joiner's proof of a join token
 * (a minted one from the replicated state, or the configured bootstrap token), asks the cluster to admit
 * it, then answers with the roots encrypted for it. What "admit" means (a new learner, a known member
 * refreshing, a replacement of an old incarnation, a refusal, the use of a minted token) is the
 * {@link Admission}'s decision, made on the leader; this class only speaks the protocol.
 *
 * <p>Thread-safe: called from HTTP threads. The first bootstrap challenge blocks for the bootstrap KDF.
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
         * Admits a joiner that proved a token: on the leader, counts a use of the minted token
         * {@code tokenId} (null: the bootstrap token, refused once retired), records the joiner's addresses
         * and, when it is new (or replaces a stale incarnation of its id), adds it as a learner. Completes
         * once the change is in the leader's log; never blocks.
         *
         * <p>Fails with {@link JoinProtocol.JoinRefusedException} when the join must not go ahead (the
         * token is spent, expired, revoked or retired; the id belongs to a member the leader still hears
         * from), with {@link dev.ratchet.node.NoLeaderException} or {@link NodeUnavailableException} when
         * the cluster cannot admit anyone now (retry).
         */
        CompletableFuture<?> admit(Member member, String incarnation, String tokenId);

        /** The minted join token with this id on this node's replica, or null. */
        JoinTokenRecord joinToken(String id);

        /** True once the bootstrap token was retired (this node's replica). */
        boolean bootstrapRetired();

        /** The serialized roots to hand out (the replicated ones, or this node's own before they exist). */
        byte[] roots();

        /** The member records to hand the joiner, so it can dial the others at once. */
        List<Member> members();
    }

    private final String nodeId;
    private final BootstrapKey bootstrap;
    private final Admission admission;
    private final Clock clock;
    private final Duration timeout;
    private final SecureRandom random;
    private final JoinChallenges challenges;
    private final LongAdder refused = new LongAdder();
    private final LongAdder admitted = new LongAdder();

    /**
     * @param nodeId this member's node id: its challenges are good here only
     * @param bootstrap the configured token's key under this node's salt
     */
    public JoinService(String nodeId, BootstrapKey bootstrap, Admission admission, Clock clock, Duration timeout,
            SecureRandom random) {
        this.nodeId = nodeId;
        this.bootstrap = bootstrap;
        this.admission = admission;
        this.clock = clock;
        this.timeout = timeout;
        this.random = random;
        this.challenges = new JoinChallenges(clock, random);
    }

    /**
     * A one-time challenge for the token the joiner names (an unknown or absent id gets one for the
     * bootstrap token, so the answer does not tell which ids exist).
     *
     * @throws NodeUnavailableException while {@link JoinChallenges#MAX_OUTSTANDING} challenges are open
     */
    public JoinProtocol.Challenge challenge(JoinProtocol.ChallengeRequest request) {
        String asked = request == null ? null : request.tokenId();
        JoinTokenRecord record = asked != null && asked.matches("[0-9a-f]{12}") ? admission.joinToken(asked) : null;
        String nonce = challenges.issue(record == null ? null : record.id()).orElseThrow(() -> new NodeUnavailableException(
                "too many join challenges are open on " + nodeId + "; retry shortly"));
        if (record != null) {
            return new JoinProtocol.Challenge(nodeId, nonce, JoinCredential.encodeSalt(record.salt()), record.iterations(),
                    JoinChallenges.TTL.toMillis());
        }
        return new JoinProtocol.Challenge(nodeId, nonce, JoinCredential.encodeSalt(bootstrap.salt()),
                bootstrap.iterations(), JoinChallenges.TTL.toMillis());
    }

    /**
     * Handles one join request; blocks up to the timeout while the membership change is proposed.
     *
     * @throws JoinProtocol.JoinRefusedException if the proof is wrong or the admission refused (counted)
     * @throws dev.ratchet.node.NoLeaderException or {@link NodeUnavailableException} if the cluster cannot
     *     admit anyone now
     */
    public JoinProtocol.JoinResponse join(JoinProtocol.JoinRequest request) throws InterruptedException {
        Verified verified;
        Member member;
        try {
            member = JoinProtocol.requireWellFormed(request);
            verified = verify(request);
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
            return grant(verified.key(), request);
        }
        try {
            admission.admit(member, request.incarnationOrLegacy(), verified.tokenId())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
        return grant(verified.key(), request);
    }

    /** A proof that checked out: the key to seal the answer with, and the minted token's id (null: bootstrap). */
    private record Verified(byte[] key, String tokenId) {
    }

    /** Consumes the challenge, checks the MAC and the token's standing here. */
    private Verified verify(JoinProtocol.JoinRequest request) {
        if (!nodeId.equals(request.issuer())) {
            throw new JoinProtocol.JoinRefusedException("the join challenge was issued by " + request.issuer()
                    + ", not by " + nodeId + ": ask this member for a challenge");
        }
        JoinChallenges.Issued issued = challenges.take(request.challenge()).orElseThrow(() ->
                new JoinProtocol.JoinRefusedException("unknown, used or expired join challenge: ask for a new one"));
        String tokenId = issued.tokenId();
        // A challenge for the bootstrap token may be answered by a request naming an id (an unknown or
        // revoked one, or a bootstrap token that looks minted): the MAC decides, under the bootstrap key.
        if (tokenId != null && !tokenId.equals(request.tokenId())) {
            throw new JoinProtocol.JoinRefusedException("the join request names another token than its challenge");
        }
        JoinTokenRecord record = tokenId == null ? null : admission.joinToken(tokenId);
        if (tokenId != null && record == null) {
            throw new JoinProtocol.JoinRefusedException("join token " + tokenId + " was revoked");
        }
        byte[] key = record == null ? bootstrap.key() : record.derivedKey();
        if (!JoinProtocol.macMatches(key, request)) {
            throw new JoinProtocol.JoinRefusedException("join token does not match (or was revoked or has expired)");
        }
        if (record == null && admission.bootstrapRetired()) {
            throw new JoinProtocol.JoinRefusedException("the bootstrap join token was retired: join with a minted token"
                    + " (POST /api/v1/admin/join-tokens)");
        }
        if (record != null && clock.millis() >= record.expiresMillis()) {
            throw new JoinProtocol.JoinRefusedException("join token " + tokenId + " has expired");
        }
        // Uses left is the leader's verdict (a replicated command counts each one), not this replica's.
        return new Verified(key, tokenId);
    }

    private JoinProtocol.JoinResponse grant(byte[] key, JoinProtocol.JoinRequest request) {
        return JoinProtocol.seal(key, request, admission.roots(), admission.members(), random);
    }

    /** Challenges handed out and not yet answered or expired. */
    public int outstandingChallenges() {
        return challenges.outstanding();
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long admittedCount() {
        return admitted.sum();
    }
}
