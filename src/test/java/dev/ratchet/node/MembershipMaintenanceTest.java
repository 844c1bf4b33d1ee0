package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Learner promotion and the replacement of a node that came back with an empty data directory (a new
 * incarnation), on fake time: the test owns the clock, the Raft status the leader reports, and when a
 * proposed change commits.
 */
class MembershipMaintenanceTest {

    private static final Duration TICK = Duration.ofMillis(50);
    private static final int ELECTION_TICKS = 10;
    private static final Duration ELECTION = TICK.multipliedBy(ELECTION_TICKS);
    private static final Duration REPLACE_AFTER = ELECTION.multipliedBy(10);
    private static final Duration REJOIN_AFTER = Duration.ofSeconds(30);

    private final FakeCluster cluster = new FakeCluster();
    private long nowNanos = 1_000_000_000L;
    private final MembershipMaintenance maintenance = new MembershipMaintenance(
            new MembershipMaintenance.Settings("n1~aaaa", member("n1"), ELECTION_TICKS, ELECTION, REJOIN_AFTER,
                    REPLACE_AFTER), cluster, () -> nowNanos);

    @Test
    void aNodeIdWithNoMemberJoinsAsALearner() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        cluster.heard("n2~bbbb", "n3~cccc");

        CompletableFuture<?> admitted = maintenance.admit(member("n4"), "n4~dddd");

        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4~dddd"));
        assertThat(cluster.commands).containsExactly(new Command.SetMember(member("n4")));
        cluster.commitAll();
        assertThat(admitted).isCompleted();
    }

    @Test
    void theSameIncarnationAgainOnlyRefreshesItsRecord() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        cluster.members.put("n3", member("n3"));

        assertThat(maintenance.admit(member("n3"), "n3~cccc")).isCompleted();
        assertThat(cluster.changes).isEmpty();
        assertThat(cluster.commands).isEmpty();
    }

    @Test
    void aNewIncarnationIsRefusedWhileTheLeaderHearsTheOldOne() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        for (int i = 0; i < 40; i++) {
            cluster.heard("n2~bbbb", "n3~cccc");
            maintenance.step();
            advance(ELECTION);
        }

        CompletableFuture<?> impostor = maintenance.admit(member("n3"), "n3~ffff");

        assertThat(failure(impostor)).isInstanceOf(IncarnationConflictException.class)
                .hasMessageContaining("n3~cccc");
        assertThat(cluster.changes).isEmpty();
        assertThat(cluster.commands).as("an impostor must not even move the member record").isEmpty();
    }

    @Test
    void aNewIncarnationIsAdmittedOnceTheOldOneWasSilentForReplaceAfter() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        cluster.heard("n2~bbbb", "n3~cccc");
        maintenance.step();
        cluster.silent("n3~cccc");

        advance(REPLACE_AFTER.minus(TICK));
        maintenance.step();
        assertThat(failure(maintenance.admit(member("n3"), "n3~ffff"))).isInstanceOf(IncarnationConflictException.class);

        advance(TICK);
        maintenance.step();
        maintenance.admit(member("n3"), "n3~ffff");
        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.ADD_LEARNER, "n3~ffff"));
    }

    @Test
    void aNewLeaderMeasuresSilenceFromItsOwnElection() {
        // The old incarnation looks long silent in the progress, but this node has only just become
        // leader: it has not itself gone replaceAfter without hearing from it.
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        cluster.silent("n3~cccc");
        maintenance.step();
        advance(REPLACE_AFTER.dividedBy(2));
        assertThat(failure(maintenance.admit(member("n3"), "n3~ffff"))).isInstanceOf(IncarnationConflictException.class);

        cluster.follow("n2~bbbb");
        maintenance.step();
        advance(REPLACE_AFTER);
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        cluster.silent("n3~cccc");
        maintenance.step();
        assertThat(failure(maintenance.admit(member("n3"), "n3~ffff")))
                .as("leadership lost and regained: the clock starts again").isInstanceOf(IncarnationConflictException.class);
    }

    @Test
    void theOldIncarnationLeavesByACommittedChangeBeforeTheNewOneIsPromoted() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n3~ffff"));
        cluster.heard("n2~bbbb", "n3~ffff");
        cluster.silent("n3~cccc");
        maintenance.step();
        advance(REPLACE_AFTER);
        cluster.heard("n2~bbbb", "n3~ffff");
        maintenance.step();

        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.REMOVE_NODE, "n3~cccc"));
        // One change at a time: nothing more while the removal has not committed, however long it takes.
        for (int i = 0; i < 20; i++) {
            advance(ELECTION);
            cluster.heard("n2~bbbb", "n3~ffff");
            maintenance.step();
        }
        assertThat(cluster.changes).hasSize(1);
        assertThat(failure(maintenance.admit(member("n4"), "n4~dddd"))).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("in progress");

        cluster.commitAll();
        maintenance.step();
        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.REMOVE_NODE, "n3~cccc"),
                new ConfChange(ConfChange.Type.ADD_VOTER, "n3~ffff"));
        cluster.commitAll();
        assertThat(cluster.voters).containsExactlyInAnyOrder("n1~aaaa", "n2~bbbb", "n3~ffff");
    }

    @Test
    void anOldIncarnationIsNotRemovedWhileTheNewOneDoesNotAnswer() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n3~ffff"));
        cluster.heard("n2~bbbb");
        cluster.silent("n3~cccc", "n3~ffff");
        for (int i = 0; i < 30; i++) {
            maintenance.step();
            advance(ELECTION);
        }
        assertThat(cluster.changes).isEmpty();
    }

    @Test
    void aLearnerIsPromotedOnlyWhenCaughtUpAndAlone() {
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n4~dddd"));
        cluster.heard("n2~bbbb", "n3~cccc");
        cluster.progress.put("n4~dddd", new Status.FollowerStatus(10, 11, "REPLICATE", 0, true, true));
        cluster.commit = 10 + MembershipMaintenance.PROMOTION_LAG_ENTRIES + 1;
        maintenance.step();
        assertThat(cluster.changes).as("too far behind").isEmpty();

        cluster.commit = 10 + MembershipMaintenance.PROMOTION_LAG_ENTRIES;
        maintenance.step();
        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.ADD_VOTER, "n4~dddd"));
    }

    @Test
    void joinsPromoteOnlyUpToTheVoterBoundAndTheRestStayLearners() {
        MembershipMaintenance bounded = new MembershipMaintenance(new MembershipMaintenance.Settings("n1~aaaa",
                member("n1"), ELECTION_TICKS, ELECTION, REJOIN_AFTER, REPLACE_AFTER, 4), cluster, () -> nowNanos);
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n4~dddd", "n5~eeee"));
        cluster.heard("n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
        bounded.step();
        assertThat(cluster.changes).hasSize(1);
        assertThat(cluster.changes.get(0).type()).isEqualTo(ConfChange.Type.ADD_VOTER);
        cluster.commitAll();
        assertThat(cluster.voters).hasSize(4);

        // Four voters: the other caught-up learner stays one, however long it waits.
        for (int i = 0; i < 50; i++) {
            advance(ELECTION);
            cluster.heard("n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
            bounded.step();
        }
        assertThat(cluster.changes).hasSize(1);
        assertThat(cluster.learners).hasSize(1);

        // A voter leaves: there is room again, and the learner is promoted.
        String left = cluster.voters.contains("n4~dddd") ? "n4~dddd" : "n5~eeee";
        cluster.voters.remove(left);
        cluster.heard("n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
        bounded.step();
        assertThat(cluster.changes).hasSize(2);
        assertThat(cluster.changes.get(1).type()).isEqualTo(ConfChange.Type.ADD_VOTER);
        assertThat(cluster.changes.get(1).nodeId()).isNotEqualTo(left);
    }

    @Test
    void aPlaceholderLearnerThatNeverAnsweredIsReplacedWithoutWaiting() {
        // An operator added n4 before it started (NodeAdmin.addMember): its own incarnation replaces it.
        cluster.lead(Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n4"));
        cluster.heard("n2~bbbb", "n3~cccc");
        cluster.silent("n4");
        maintenance.step();
        advance(ELECTION.multipliedBy(2));
        maintenance.step();

        maintenance.admit(member("n4"), "n4~dddd");
        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4~dddd"));
        cluster.commitAll();
        cluster.heard("n2~bbbb", "n3~cccc", "n4~dddd");
        maintenance.step();
        assertThat(cluster.changes).last().isEqualTo(new ConfChange(ConfChange.Type.REMOVE_NODE, "n4"));
    }

    @Test
    void onlyTheLeaderAdmits() {
        cluster.follow("n2~bbbb");
        assertThat(failure(maintenance.admit(member("n4"), "n4~dddd"))).isInstanceOf(NotLeaderException.class);
    }

    @Test
    void aNodeWithoutALeaderForLongAsksToRejoinOnce() {
        cluster.follow(null);
        maintenance.step();
        advance(REJOIN_AFTER);
        assertThat(maintenance.step()).isFalse();
        advance(TICK);
        assertThat(maintenance.step()).isTrue();
        assertThat(maintenance.step()).as("the clock restarts after asking").isFalse();
    }

    @Test
    void aReplacementSaysWhyItIsNotReadyUntilTheOldIncarnationIsGone() {
        Status waiting = cluster.statusAs("n3~ffff", Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of("n3~ffff"));
        assertThat(MembershipMaintenance.waitingReason(waiting, "n3~ffff")).get().asString().contains("n3~cccc");
        Status joining = cluster.statusAs("n3~ffff", Set.of("n1~aaaa", "n2~bbbb", "n3~cccc"), Set.of());
        assertThat(MembershipMaintenance.waitingReason(joining, "n3~ffff")).get().asString().contains("not in");
        Status done = cluster.statusAs("n3~ffff", Set.of("n1~aaaa", "n2~bbbb", "n3~ffff"), Set.of());
        assertThat(MembershipMaintenance.waitingReason(done, "n3~ffff")).isEmpty();
    }

    private void advance(Duration d) {
        nowNanos += d.toNanos();
    }

    private static Member member(String id) {
        return new Member(id, "127.0.0.1:7000", "http://127.0.0.1:8080");
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** A leader's view the test sets by hand; proposed changes commit when the test says so. */
    private static final class FakeCluster implements MembershipMaintenance.Cluster {
        final List<ConfChange> changes = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Status.FollowerStatus> progress = new HashMap<>();
        private final List<Runnable> uncommitted = new ArrayList<>();
        Set<String> voters = new HashSet<>();
        Set<String> learners = new HashSet<>();
        Role role = Role.FOLLOWER;
        String leader;
        long commit = 100;

        FakeCluster() {
            members.put("n1", member("n1"));
        }

        void lead(Set<String> v, Set<String> l) {
            voters = new HashSet<>(v);
            learners = new HashSet<>(l);
            role = Role.LEADER;
            leader = "n1~aaaa";
            progress.clear();
        }

        void follow(String leaderId) {
            role = Role.FOLLOWER;
            leader = leaderId;
            progress.clear();
        }

        void heard(String... ids) {
            for (String id : ids) {
                progress.put(id, new Status.FollowerStatus(commit, commit + 1, "REPLICATE", 0, true, learners.contains(id)));
            }
        }

        void silent(String... ids) {
            for (String id : ids) {
                progress.put(id, new Status.FollowerStatus(0, 1, "PROBE", 10_000, false, learners.contains(id)));
            }
        }

        void commitAll() {
            List<Runnable> pending = new ArrayList<>(uncommitted);
            uncommitted.clear();
            pending.forEach(Runnable::run);
        }

        Status statusAs(String self, Set<String> v, Set<String> l) {
            return new Status(self, Role.FOLLOWER, 3, "n1~aaaa", commit, commit, commit, new ConfState(v, l), null,
                    Map.of(), commit);
        }

        @Override
        public Status status() {
            return new Status("n1~aaaa", role, 3, leader, commit, commit, commit, new ConfState(voters, learners), null,
                    role == Role.LEADER ? progress : Map.of(), commit);
        }

        @Override
        public Map<String, Member> members() {
            return Map.copyOf(members);
        }

        @Override
        public CompletableFuture<?> submit(Command command) {
            commands.add(command);
            if (command instanceof Command.SetMember s) {
                members.put(s.member().id(), s.member());
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> proposeConfChange(ConfChange change) {
            changes.add(change);
            CompletableFuture<Object> done = new CompletableFuture<>();
            uncommitted.add(() -> {
                ConfState next = change.applyTo(new ConfState(voters, learners));
                voters = new HashSet<>(next.voters());
                learners = new HashSet<>(next.learners());
                done.complete(null);
            });
            return done;
        }
    }
}
