package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.BackupImages;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Member;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.RootRotationPolicy;
import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Operator actions on a running node: rotate the trust roots now, hand leadership over, add and remove
 * members, snapshot, and back up the replicated state. Actions that only the leader can take fail with
 * {@link NotLeaderException} elsewhere (the HTTP layer forwards them to the leader).
 *
 * <p>Thread-safe; every method returns at once with a future, except {@link #rotateRootsNow}, which
 * generates a key pair on the calling thread (milliseconds for EC, up to a second for RSA).
 */
public final class NodeAdmin {

    private final RatchetNode node;
    private final Clock clock;
    private final SecureRandom random;

    public NodeAdmin(RatchetNode node, Clock clock, SecureRandom random) {
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A backup: the replicated state image at {@code appliedIndex} without roots (no Raft log, no node-local files). */
    public record Backup(long appliedIndex, byte[] image) {
    }

    /** True when this node leads now. */
    public boolean isLeader() {
        return node.driver().status().role() == Role.LEADER;
    }

    /**
     * Adds a new newest root now, dropping expired ones and keeping at most the configured number, and
     * replicates the list (forwarded to the leader by Raft). Based on a linearizable read, so it starts
     * from the newest replicated list.
     *
     * @return the rotated list, once applied on this node
     */
    public CompletableFuture<TrustRoots> rotateRootsNow() {
        ClusterNode cluster = node.replicator();
        return cluster.linearizableRead().thenCompose(v -> {
            byte[] base = node.state().roots();
            TrustRoots current = replicatedRoots(base);
            Instant now = clock.instant();
            TrustRoot fresh = Certificates.newRoot(node.settings().trust(), now, random);
            TrustRoots next = RootRotationPolicy.rotated(now, current, fresh, node.settings().trust());
            return cluster.submit(Command.SetRoots.replacing(base, TrustRootsCodec.encode(next))).thenApply(r -> {
                if (r instanceof CommandResult.PreconditionFailed) {
                    throw new java.util.concurrent.CompletionException(new IllegalStateException(
                            "the trust roots changed while this rotation was made (a scheduled rotation or a removal);"
                                    + " nothing was changed: try again"));
                }
                return next;
            });
        });
    }

    /**
     * On the leader: hands leadership to {@code target}, or to the most caught-up reachable voter when
     * {@code target} is null.
     *
     * @return the new leader's id once it leads
     * @throws IllegalArgumentException (in the future) for an unknown target, a learner, or no candidate
     */
    public CompletableFuture<String> transferLeadership(String target) {
        Status s = node.driver().status();
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(s.id(), s.leader()));
        }
        String chosen = target;
        if (chosen == null || chosen.isBlank()) {
            chosen = s.progress().entrySet().stream()
                    .filter(e -> !e.getValue().learner() && e.getValue().heardWithin(node.settings().electionTicks()))
                    .max((a, b) -> Long.compare(a.getValue().match(), b.getValue().match()))
                    .map(Map.Entry::getKey).orElse(null);
            if (chosen == null) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("no reachable voter to hand leadership to"));
            }
        } else if (chosen.equals(RaftIds.nodeId(s.id()))) {
            return CompletableFuture.completedFuture(chosen);
        } else {
            // Operators name nodes; Raft knows incarnations of them.
            String nodeId = chosen;
            chosen = s.conf().voters().stream().filter(v -> RaftIds.nodeId(v).equals(nodeId)).findFirst().orElse(null);
            if (chosen == null) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("'" + nodeId + "' is not a voter of this cluster"));
            }
        }
        return node.driver().transferLeadership(chosen).thenApply(RaftIds::nodeId);
    }

    /**
     * On the leader: records the member and adds it as a learner; the node promotes it to voter once it
     * has caught up. The new node still starts with {@code ratchet.join-addresses} to fetch the roots.
     */
    public CompletableFuture<Member> addMember(Member member) {
        Status s = node.driver().status();
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(s.id(), s.leader()));
        }
        CompletableFuture<?> recorded = member.equals(node.state().members().get(member.id()))
                ? CompletableFuture.completedFuture(null) : node.replicator().submit(new Command.SetMember(member));
        // Added under its bare id: the node's own incarnation replaces this placeholder when it joins
        // (a learner never heard from is replaced at once).
        return recorded.thenCompose(r -> !MembershipMaintenance.incarnationsOf(node.driver().status(), member.id()).isEmpty()
                ? CompletableFuture.completedFuture(null)
                : node.driver().proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, member.id())))
                .thenApply(r -> member);
    }

    /**
     * On the leader: removes a member from the Raft configuration and the member list, and revokes it:
     * its incarnations are barred from joining again (before they leave the configuration, so no refresh
     * slips in between), then the roots rotate past every root it held ({@link RootRevocation}). The
     * leader itself cannot be removed (hand leadership over first), nor the last voter. Completes once
     * the old roots are gone from the replicated list.
     */
    public CompletableFuture<Void> removeMember(String id) {
        Status s = node.driver().status();
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(s.id(), s.leader()));
        }
        if (id.equals(RaftIds.nodeId(s.id()))) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "'" + id + "' leads the cluster: transfer leadership first, then remove it"));
        }
        java.util.List<String> incarnations = MembershipMaintenance.incarnationsOf(s, id);
        if (incarnations.isEmpty() && !node.state().members().containsKey(id)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + id + "' is not a member"));
        }
        // Every incarnation of the node id goes, one committed change at a time.
        CompletableFuture<?> removed = incarnations.isEmpty() ? CompletableFuture.completedFuture(null)
                : node.replicator().submit(new Command.BarIncarnations(incarnations));
        for (String raftId : incarnations) {
            removed = removed.thenCompose(r -> node.driver().proposeConfChange(
                    new ConfChange(ConfChange.Type.REMOVE_NODE, raftId)));
        }
        return removed.thenCompose(r -> node.replicator().submit(new Command.RemoveMember(id)))
                .thenCompose(r -> rotatePastRootsOfRemoved()).thenApply(r -> null);
    }

    private CompletableFuture<TrustRoots> rotatePastRootsOfRemoved() {
        byte[] base = node.state().roots();
        TrustRoots current = replicatedRoots(base);
        Instant now = clock.instant();
        TrustRoot fresh = Certificates.newRoot(node.settings().trust(), now, random);
        TrustRoots withFresh = RootRotationPolicy.rotated(now, current, fresh, node.settings().trust());
        // Members acknowledge within a few heartbeats; one that takes longer is treated as away.
        Duration catchUp = node.settings().electionTimeout().multipliedBy(4);
        return new RootRevocation(c -> node.replicator().submit(c), () -> node.driver().status(),
                () -> node.state().roots(), catchUp).rotatePastEvery(base, current, withFresh, fresh);
    }

    /**
     * On the leader: promotes the learner {@code id} to voter, whatever {@code ratchet.join.max-voters}
     * says (that bound is on automatic promotion only). Completes once the change commits.
     *
     * @throws IllegalArgumentException (in the future) when {@code id} has no learner incarnation
     */
    public CompletableFuture<String> promote(String id) {
        Status s = node.driver().status();
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(s.id(), s.leader()));
        }
        java.util.List<String> learners = MembershipMaintenance.incarnationsOf(s, id).stream()
                .filter(r -> s.conf().learners().contains(r)).toList();
        if (learners.size() != 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(learners.isEmpty()
                    ? "'" + id + "' is not a learner (GET /api/v1/cluster lists voters and learners)"
                    : "'" + id + "' has several learner incarnations " + learners + "; wait for the old one to be removed"));
        }
        String raftId = learners.get(0);
        return node.driver().proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, raftId)).thenApply(r -> raftId);
    }

    /** Takes a Raft snapshot on this node now; completes with its index. */
    public CompletableFuture<Long> snapshotNow() {
        return node.driver().snapshotNow();
    }

    /**
     * The replicated state after a linearizable read: includes every write acknowledged before the call.
     * Holds no trust roots and so no private key ({@link BackupImages#of}).
     */
    public CompletableFuture<Backup> backup() {
        return node.replicator().linearizableRead().thenApply(v -> {
            byte[] image = BackupImages.of(node.state());
            return new Backup(BackupImages.appliedIndex(image), image);
        });
    }

    private TrustRoots replicatedRoots(byte[] bytes) {
        if (bytes.length == 0) {
            return node.tls().roots();
        }
        try {
            return TrustRootsCodec.decode(bytes);
        } catch (TrustFormatException e) {
            throw new IllegalStateException("the replicated trust roots do not decode: " + e.getMessage(), e);
        }
    }
}
