package dev.ratchet.node;

import dev.ratchet.join.Incarnation;
import dev.ratchet.join.JoinClient;
import dev.ratchet.raft.Status;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A node's readiness and membership-wait answers, read from its parts as they are at the moment of the
 * question: before start and while joining some are still null, so it reads them through suppliers.
 *
 * <p>Called from any thread (health endpoints, metrics, start-up waits), concurrently with start and
 * with the driver thread; it only reads the driver's published status and volatile fields.
 */
final class NodeReadiness {

    /** A learner (or a restarted node) this close to the leader's log counts as caught up. */
    static final long PROMOTION_LAG_ENTRIES = MembershipMaintenance.PROMOTION_LAG_ENTRIES;

    private final NodeSettings settings;
    private final Supplier<RaftDriver> driver;
    private final Supplier<JoinClient> joinClient;
    private final Supplier<ClusterIdentity> clusterIdentity;
    private final Supplier<Incarnation> identity;

    NodeReadiness(NodeSettings settings, Supplier<RaftDriver> driver, Supplier<JoinClient> joinClient,
            Supplier<ClusterIdentity> clusterIdentity, Supplier<Incarnation> identity) {
        this.settings = settings;
        this.driver = driver;
        this.joinClient = joinClient;
        this.clusterIdentity = clusterIdentity;
        this.identity = identity;
    }

    /** Live: the driver thread runs (it stops only on a storage failure or shutdown). */
    boolean isLive() {
        RaftDriver d = driver.get();
        return d != null && d.isAlive();
    }

    /** Ready: live, a full member with a known leader, and caught up with what the leader committed. */
    boolean isReady() {
        return isLive() && notReadyReason().isEmpty();
    }

    /** See {@link RatchetNode#notReadyReason()}. */
    Optional<String> notReadyReason() {
        RaftDriver driver = this.driver.get();
        if (driver == null) {
            JoinClient joinClient = this.joinClient.get();
            String waiting = joinClient == null ? null : joinClient.waitingReason();
            return Optional.of(waiting != null ? "waiting to join: " + waiting : "starting");
        }
        Optional<String> conflict = clusterIdentity.get().conflict();
        if (conflict.isPresent()) {
            return Optional.of("refusing to serve: " + conflict.get());
        }
        if (!driver.isAlive()) {
            return Optional.of("the Raft driver stopped: " + driver.failure());
        }
        Status s = driver.status();
        if (s.leader() == null) {
            return Optional.of("no leader known");
        }
        Optional<String> waiting = MembershipMaintenance.waitingReason(s, identity.get().raftId());
        if (waiting.isPresent()) {
            return waiting;
        }
        // Also within a few entries of what the leader has committed: a node that has only just heard
        // from the leader may have applied all it knows of and still be thousands of entries behind, and
        // a rolling restart that moves on then leaves the cluster unable to commit until it catches up.
        long applied = driver.appliedIndex();
        if (applied < s.commit() || s.leaderCommit() - applied > PROMOTION_LAG_ENTRIES) {
            return Optional.of("catching up: applied " + applied + " of " + s.leaderCommit());
        }
        return Optional.empty();
    }

    /** See {@link RatchetNode#membershipWait()}. */
    MembershipWait membershipWait() {
        RaftDriver d = driver.get();
        if (d == null) {
            return MembershipWait.JOINING;
        }
        Status s = d.status();
        if (!s.conf().contains(identity.get().raftId())) {
            return MembershipWait.NOT_MEMBER;
        }
        return MembershipMaintenance.incarnationsOf(s, settings.nodeId()).size() > 1 ? MembershipWait.REPLACING
                : MembershipWait.NONE;
    }
}
