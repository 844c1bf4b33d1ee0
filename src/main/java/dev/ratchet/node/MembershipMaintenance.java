package dev.ratchet.node;

import dev.ratchet.join.JoinProtocol;
import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the membership right, one periodic {@link #step()} at a time, on an injected clock:
 * <ul>
 *   <li>everywhere: keeps this node's member record current, and says when it has been without a
 *       leader so long that it should fetch the current roots through the join path;</li>
 *   <li>on the leader: remembers when it last heard from each member incarnation, admits joiners
 *       ({@link #admit}), removes an old incarnation of a node id once a newer one is alive and the
 *       old one has been silent for {@code replaceAfter}, and promotes a caught-up learner to voter
 *       once it is its node id's only incarnation, while there are fewer voters than
 *       {@code maxVoters} (beyond it, an admin promotes); with autopilot on, removes a voter silent for
 *       {@code deadAfter} ({@link DeadVoterCleanup}). At most one membership change is in flight.</li>
 * </ul>
 * Why the rules are safe: a new incarnation joins as a learner, so it never counts toward a quorum
 * until a committed change makes it a voter; the old incarnation leaves by a normal committed change;
 * and a joiner claiming the id of an incarnation the leader still hears from is refused (it may be an
 * impostor, or the old one is not gone). Silence is measured only while this node leads, from the
 * moment it first saw each member: a new leader waits a full {@code replaceAfter} before replacing.
 *
 * <p>Thread-safe: {@link #step()} runs on the maintenance thread, {@link #admit} on HTTP or peer threads.
 */
final class MembershipMaintenance {

    private static final Logger log = LoggerFactory.getLogger(MembershipMaintenance.class);
    /** A learner this close to the leader's log is promoted to voter. */
    static final long PROMOTION_LAG_ENTRIES = 64;

    /**
     * @param selfRaftId this node's Raft id (node id and incarnation)
     * @param self this node's member record
     * @param electionTicks the election timeout in ticks: "recently heard from" means within it
     * @param electionTimeout the election timeout as a duration
     * @param rejoinAfter how long without any leader before fetching roots through the join path
     * @param replaceAfter how long the leader must not have heard from an old incarnation before a new
     *        incarnation of the same node id replaces it
     * @param maxVoters a caught-up learner is promoted only while there are fewer voters than this
     */
    record Settings(String selfRaftId, Member self, int electionTicks, Duration electionTimeout, Duration rejoinAfter,
            Duration replaceAfter, int maxVoters) {

        /** With the default bound on voters. */
        Settings(String selfRaftId, Member self, int electionTicks, Duration electionTimeout, Duration rejoinAfter,
                Duration replaceAfter) {
            this(selfRaftId, self, electionTicks, electionTimeout, rejoinAfter, replaceAfter,
                    NodeSettings.DEFAULT_MAX_JOIN_VOTERS);
        }
    }

    /** What maintenance reads and changes. Implementations never block and may be called from any thread. */
    interface Cluster {
        Status status();

        Map<String, Member> members();

        /** Proposes a command through the leader; completes once applied here. */
        CompletableFuture<?> submit(Command command);

        /** On the leader: proposes a configuration change; completes once it is committed and applied. */
        CompletableFuture<?> proposeConfChange(ConfChange change);
    }

    private final Settings settings;
    private final Cluster cluster;
    private final LongSupplier nanos;
    private final Map<String, Long> lastHeardNanos = new HashMap<>();
    private final java.util.Set<String> everHeard = new java.util.HashSet<>();
    private long leadingSinceNanos;
    private long leaderLastSeenNanos;
    private boolean leading;
    private CompletableFuture<?> change = CompletableFuture.completedFuture(null);
    private String lastWaitLogged;

    private final DeadVoterCleanup autopilot;
    private final DeadVoterCleanup.Remover remover;

    /** Without autopilot: dead voters stay until an admin removes them. */
    MembershipMaintenance(Settings settings, Cluster cluster, LongSupplier nanos) {
        this(settings, cluster, nanos, AutopilotSettings.OFF, nodeId -> CompletableFuture.failedFuture(
                new IllegalStateException("autopilot is off")));
    }

    /**
     * @param autopilot when and within which bound the leader removes voters it no longer hears from
     * @param remover removes a member for good (bars it and rotates the roots past it, as an admin removal)
     */
    MembershipMaintenance(Settings settings, Cluster cluster, LongSupplier nanos, AutopilotSettings autopilot,
            DeadVoterCleanup.Remover remover) {
        this.settings = settings;
        this.cluster = cluster;
        this.nanos = nanos;
        this.leaderLastSeenNanos = nanos.getAsLong();
        this.autopilot = new DeadVoterCleanup(autopilot, settings.electionTimeout());
        this.remover = remover;
    }

    /**
     * One pass of upkeep. Never blocks: changes are proposed and their futures left to complete.
     *
     * @return true if this node has seen no leader for {@code rejoinAfter}: the caller should fetch the
     *     current roots through the join path (the clock for that restarts now)
     */
    synchronized boolean step() {
        long now = nanos.getAsLong();
        Status status = cluster.status();
        if (status.leader() != null) {
            leaderLastSeenNanos = now;
        }
        if (status.role() == Role.LEADER) {
            if (!leading) {
                leading = true;
                leadingSinceNanos = now;
                lastHeardNanos.clear();
                everHeard.clear();
            }
            observe(status, now);
            if (change.isDone()) {
                Optional<ConfChange> next = removeReplaced(status, now).or(() -> promoteCaughtUp(status));
                if (next.isPresent()) {
                    propose(next.get(), status);
                } else {
                    removeDead(status, now);
                }
            }
        } else {
            leading = false;
            lastHeardNanos.clear();
            everHeard.clear();
        }
        if (status.leader() != null && status.conf().contains(settings.selfRaftId())
                && !settings.self().equals(cluster.members().get(settings.self().id()))) {
            cluster.submit(new Command.SetMember(settings.self()));
        }
        if (status.leader() == null && now - leaderLastSeenNanos > settings.rejoinAfter().toNanos()) {
            leaderLastSeenNanos = now;
            return true;
        }
        return false;
    }

    /**
     * On the leader: admits a joiner that proved the join token. A node id with no member is added as a
     * learner; the same incarnation again only has its addresses refreshed; a new incarnation of a member
     * id replaces the old one once the old one has been silent for {@code replaceAfter}.
     *
     * @return completes once the learner is added (committed) or at once when nothing changes; fails with
     *     {@link JoinProtocol.JoinRefusedException} never, with {@link IncarnationConflictException} while
     *     the old incarnation is still heard from (retry later), with {@link NodeUnavailableException}
     *     while another change is in flight, or with {@link dev.ratchet.raft.NotLeaderException}
     */
    synchronized CompletableFuture<?> admit(Member joiner, String joinerRaftId) {
        Status status = cluster.status();
        if (status.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new dev.ratchet.raft.NotLeaderException(status.id(), status.leader()));
        }
        long now = nanos.getAsLong();
        observe(status, now);
        List<String> incarnations = incarnationsOf(status, joiner.id());
        if (incarnations.contains(joinerRaftId)) {
            return record(joiner);
        }
        for (String old : incarnations) {
            long silentNanos = silentNanos(old, now);
            if (!replaceable(old, status, now)) {
                return CompletableFuture.failedFuture(new IncarnationConflictException(joiner.id() + " is a member"
                        + " (incarnation " + old + ") the leader heard from " + Duration.ofNanos(silentNanos).toMillis()
                        + " ms ago; a new incarnation replaces it only after "
                        + settings.replaceAfter().toMillis() + " ms of silence"));
            }
        }
        if (!change.isDone()) {
            return CompletableFuture.failedFuture(new NodeUnavailableException(
                    "another membership change is in progress; retry shortly"));
        }
        if (!incarnations.isEmpty()) {
            log.info("{} joins as a new incarnation ({}); it replaces {} once caught up", joiner.id(), joinerRaftId,
                    incarnations);
        }
        CompletableFuture<?> added = record(joiner).thenCompose(
                r -> cluster.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, joinerRaftId)));
        change = added;
        return added;
    }

    /**
     * Why this node is not (yet) a full member, or empty when it is: not in the configuration, or an
     * older incarnation of its node id is still there (the replacement waits for a committed change).
     */
    static Optional<String> waitingReason(Status status, String selfRaftId) {
        if (!status.conf().contains(selfRaftId)) {
            return Optional.of("not in the cluster configuration (yet)");
        }
        List<String> older = incarnationsOf(status, RaftIds.nodeId(selfRaftId)).stream()
                .filter(id -> !id.equals(selfRaftId)).toList();
        if (!older.isEmpty()) {
            return Optional.of("replacing the old incarnation " + older + ": waiting for the leader to remove it"
                    + " (a committed change: needs a quorum of voters)");
        }
        return Optional.empty();
    }

    private void observe(Status status, long now) {
        for (String id : members(status)) {
            Status.FollowerStatus p = status.progress().get(id);
            if (id.equals(status.id()) || (p != null && p.heardWithin(settings.electionTicks()))) {
                lastHeardNanos.put(id, now);
                everHeard.add(id);
            } else {
                // First sight counts as heard: silence is measured only while we lead.
                lastHeardNanos.putIfAbsent(id, now);
            }
        }
        lastHeardNanos.keySet().retainAll(members(status));
        everHeard.retainAll(members(status));
    }

    /**
     * An incarnation a newer one of its node id may replace: silent for {@code replaceAfter}; or a learner
     * that never answered in two election timeouts of this leadership (one added by an operator before
     * its node started, or a joiner that died before it took part): a learner holds no vote and no data
     * anyone depends on.
     */
    private boolean replaceable(String raftId, Status status, long now) {
        if (raftId.equals(status.id())) {
            return false;
        }
        if (silentNanos(raftId, now) >= settings.replaceAfter().toNanos()) {
            return true;
        }
        Status.FollowerStatus p = status.progress().get(raftId);
        return status.conf().learners().contains(raftId) && !everHeard.contains(raftId)
                && (p == null || p.match() == 0)
                && now - leadingSinceNanos >= settings.electionTimeout().multipliedBy(2).toNanos();
    }

    private long silentNanos(String raftId, long now) {
        return now - lastHeardNanos.getOrDefault(raftId, now);
    }

    /** An old incarnation to remove: silent for replaceAfter while another incarnation of its id is alive. */
    private Optional<ConfChange> removeReplaced(Status status, long now) {
        for (String id : members(status)) {
            if (!replaceable(id, status, now)) {
                continue;
            }
            boolean newerAlive = incarnationsOf(status, RaftIds.nodeId(id)).stream()
                    .anyMatch(other -> !other.equals(id) && everHeard.contains(other)
                            && silentNanos(other, now) < settings.electionTimeout().toNanos());
            if (newerAlive) {
                logWait("removing " + id + ": a newer incarnation of " + RaftIds.nodeId(id) + " answers and " + id
                        + " has not for at least " + settings.replaceAfter().toMillis() + " ms");
                return Optional.of(new ConfChange(ConfChange.Type.REMOVE_NODE, id));
            }
        }
        return Optional.empty();
    }

    private Optional<ConfChange> promoteCaughtUp(Status status) {
        for (String id : status.conf().learners()) {
            Status.FollowerStatus p = status.progress().get(id);
            if (p == null || incarnationsOf(status, RaftIds.nodeId(id)).size() > 1) {
                continue;
            }
            // A fresh progress entry counts as "recently active" before the learner ever answered, so
            // also require acknowledged entries, a replicating follower and recent contact: promoting a
            // learner that is not running yet would add a dead voter and could cost the cluster its quorum.
            boolean heardFrom = p.match() > 0 && "REPLICATE".equals(p.state())
                    && p.ticksSinceContact() <= settings.electionTicks();
            if (heardFrom && p.recentActive() && status.commit() - p.match() <= PROMOTION_LAG_ENTRIES) {
                if (status.conf().voters().size() >= settings.maxVoters()) {
                    // Joins must not hand the voting majority to whoever holds a join token.
                    logWait("learner " + id + " stays a learner: the cluster has " + status.conf().voters().size()
                            + " voters, the most joins may create (ratchet.join.max-voters=" + settings.maxVoters()
                            + "); POST /api/v1/admin/members/" + RaftIds.nodeId(id) + "/promote to promote it");
                    return Optional.empty();
                }
                return Optional.of(new ConfChange(ConfChange.Type.ADD_VOTER, id));
            }
        }
        return Optional.empty();
    }

    private void propose(ConfChange c, Status status) {
        change = cluster.proposeConfChange(c);
        change.whenComplete((a, e) -> {
            if (e != null) {
                logWait(c + " did not commit: " + e.getMessage());
            } else if (c.type() == ConfChange.Type.ADD_VOTER) {
                log.info("promoted learner {} to voter", c.nodeId());
            } else {
                log.info("removed {} from the configuration (replaced by a newer incarnation)", c.nodeId());
            }
        });
    }

    /**
     * On the leader: how each member incarnation looks and what autopilot does about it; elsewhere empty
     * (only the leader hears from everyone). Never blocks.
     */
    synchronized List<MemberHealth> health() {
        Status status = cluster.status();
        if (status.role() != Role.LEADER || !leading) {
            return List.of();
        }
        long now = nanos.getAsLong();
        List<MemberHealth> out = new ArrayList<>();
        for (String id : members(status)) {
            out.add(autopilot.health(id, status, silentNanos(id, now)));
        }
        return out;
    }

    /** Autopilot: removes the longest-silent dead voter, if the rules allow one (see {@link DeadVoterCleanup}). */
    private void removeDead(Status status, long now) {
        Optional<String> dead = autopilot.deadVoter(status, id -> silentNanos(id, now));
        if (dead.isEmpty()) {
            return;
        }
        String raftId = dead.get();
        log.warn("autopilot: removing voter {} (not heard from for {} ms, ratchet.autopilot.dead-after={} ms);"
                + " it is barred and the roots rotate past it", raftId, Duration.ofNanos(silentNanos(raftId, now)).toMillis(),
                autopilot.settings().deadAfter().toMillis());
        change = remover.remove(RaftIds.nodeId(raftId));
        change.whenComplete((a, e) -> {
            if (e != null) {
                logWait("autopilot: removing " + raftId + " did not finish: " + e.getMessage() + " (retried)");
            } else {
                log.info("autopilot: removed dead voter {}", raftId);
            }
        });
    }

    private CompletableFuture<?> record(Member member) {
        return member.equals(cluster.members().get(member.id())) ? CompletableFuture.completedFuture(null)
                : cluster.submit(new Command.SetMember(member));
    }

    /** Logs a reason to wait once, not at every step. */
    private void logWait(String reason) {
        if (!reason.equals(lastWaitLogged)) {
            lastWaitLogged = reason;
            log.info(reason);
        }
    }

    private static TreeSet<String> members(Status status) {
        TreeSet<String> ids = new TreeSet<>(status.conf().voters());
        ids.addAll(status.conf().learners());
        return ids;
    }

    static List<String> incarnationsOf(Status status, String nodeId) {
        List<String> out = new ArrayList<>();
        for (String id : members(status)) {
            if (RaftIds.nodeId(id).equals(nodeId)) {
                out.add(id);
            }
        }
        return out;
    }
}
