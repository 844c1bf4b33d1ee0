package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Autopilot's rules, as pure decisions over the leader's view: which voter (if any) to remove as dead,
 * and how healthy each member looks. The leader's {@link MembershipMaintenance} owns the clock and the
 * "last heard" times and acts on the answer, one change at a time.
 *
 * <p>A voter is dead when the leader has not heard from it for {@code deadAfter}; it is removed only if
 * it is not this node, it is its node id's only incarnation (otherwise the replacement rule applies),
 * and the cluster keeps at least {@code minVoters} voters. Removing a voter that does not answer never
 * costs the quorum: the remaining majority is smaller and made of members that answer.
 *
 * <p>Immutable; safe from any thread.
 */
final class DeadVoterCleanup {

    /** Removes a member for good (as {@link NodeAdmin#removeMember}); returns at once with a future. */
    interface Remover {
        CompletableFuture<?> remove(String nodeId);
    }

    private final AutopilotSettings settings;
    private final Duration electionTimeout;

    DeadVoterCleanup(AutopilotSettings settings, Duration electionTimeout) {
        this.settings = settings;
        this.electionTimeout = electionTimeout;
    }

    AutopilotSettings settings() {
        return settings;
    }

    /**
     * The voter to remove now, the longest silent first, or empty.
     *
     * @param silentNanos how long the leader has not heard from an incarnation
     */
    Optional<String> deadVoter(Status status, ToLongFunction<String> silentNanos) {
        String chosen = null;
        long longest = -1;
        for (String id : status.conf().voters()) {
            long silent = silentNanos.applyAsLong(id);
            if (removable(id, status, silent) && (silent > longest || (silent == longest && id.compareTo(chosen) < 0))) {
                chosen = id;
                longest = silent;
            }
        }
        return Optional.ofNullable(chosen);
    }

    /** How the member {@code raftId} looks to the leader, and what autopilot does about it. */
    MemberHealth health(String raftId, Status status, long silentNanos) {
        long millis = Duration.ofNanos(silentNanos).toMillis();
        if (raftId.equals(status.id())) {
            return new MemberHealth(raftId, 0, true, "this node: the leader");
        }
        if (silentNanos < electionTimeout.toNanos()) {
            return new MemberHealth(raftId, millis, true, "answered within the election timeout");
        }
        String silent = "no answer for " + millis + " ms";
        String nodeId = RaftIds.nodeId(raftId);
        if (MembershipMaintenance.incarnationsOf(status, nodeId).size() > 1) {
            return new MemberHealth(raftId, millis, false, silent + "; another incarnation of " + nodeId
                    + " exists: the replacement rule (ratchet.membership.replace-after) applies, not autopilot");
        }
        if (!status.conf().voters().contains(raftId)) {
            return new MemberHealth(raftId, millis, false, silent + "; a learner: autopilot removes only voters"
                    + " (DELETE /api/v1/admin/members/" + nodeId + ")");
        }
        if (!settings.enabled()) {
            return new MemberHealth(raftId, millis, false, silent + "; autopilot is off (ratchet.autopilot.dead-after"
                    + " unset): if it is gone for good, DELETE /api/v1/admin/members/" + nodeId);
        }
        if (silentNanos < settings.deadAfter().toNanos()) {
            return new MemberHealth(raftId, millis, false, silent + "; autopilot removes it after "
                    + settings.deadAfter().toMillis() + " ms without an answer (ratchet.autopilot.dead-after)");
        }
        if (!aboveMinimum(status)) {
            return new MemberHealth(raftId, millis, false, silent + ", past ratchet.autopilot.dead-after, but removing"
                    + " it would leave " + (status.conf().voters().size() - 1) + " voters, fewer than"
                    + " ratchet.autopilot.min-voters=" + settings.minVoters() + ": it stays");
        }
        return new MemberHealth(raftId, millis, false, silent + ", past ratchet.autopilot.dead-after: autopilot"
                + " removes it (one member at a time)");
    }

    private boolean removable(String raftId, Status status, long silentNanos) {
        return settings.enabled() && !raftId.equals(status.id()) && silentNanos >= settings.deadAfter().toNanos()
                && aboveMinimum(status)
                && MembershipMaintenance.incarnationsOf(status, RaftIds.nodeId(raftId)).size() == 1;
    }

    private boolean aboveMinimum(Status status) {
        return status.conf().voters().size() - 1 >= settings.minVoters();
    }
}
