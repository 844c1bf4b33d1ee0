package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Autopilot's dead-voter cleanup on fake time: the test owns the clock, which members the leader hears
 * from, and when a removal finishes. A removal takes the voter out of the configuration.
 */
class AutopilotTest {

    private static final Duration TICK = Duration.ofMillis(50);
    private static final int ELECTION_TICKS = 10;
    private static final Duration ELECTION = TICK.multipliedBy(ELECTION_TICKS);
    private static final Duration DEAD_AFTER = ELECTION.multipliedBy(20);

    private final Leader cluster = new Leader();
    private long nowNanos = 1_000_000_000L;

    @Test
    void aVoterSilentForDeadAfterIsRemoved() {
        MembershipMaintenance m = withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd");
        stepFor(Duration.ZERO, "n2~bbbb", "n3~cccc", "n4~dddd");

        stepFor(DEAD_AFTER.minus(TICK), "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).as("one tick short of dead-after").isEmpty();
        assertThat(health(m, "n4~dddd").healthy()).isFalse();
        assertThat(health(m, "n4~dddd").reason()).contains("removes it after " + DEAD_AFTER.toMillis() + " ms");

        stepFor(TICK, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).containsExactly("n4");
        cluster.finishRemovals();
        assertThat(cluster.voters).containsExactlyInAnyOrder("n1~aaaa", "n2~bbbb", "n3~cccc");
    }

    @Test
    void neverBelowMinVoters() {
        MembershipMaintenance m = withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc");
        stepFor(Duration.ZERO, "n2~bbbb", "n3~cccc");

        stepFor(DEAD_AFTER.multipliedBy(5), "n2~bbbb");
        assertThat(cluster.removals).isEmpty();
        assertThat(health(m, "n3~cccc").reason()).contains("ratchet.autopilot.min-voters=3").contains("stays");
    }

    @Test
    void removesOneAtATimeDownToMinVoters() {
        withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
        stepFor(Duration.ZERO, "n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
        stepFor(TICK, "n2~bbbb", "n3~cccc", "n4~dddd");
        // n5 went silent one tick before n4: the longest silent goes first.

        stepFor(DEAD_AFTER.plus(TICK), "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).containsExactly("n5");
        stepFor(DEAD_AFTER, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).as("while one removal is in flight, no other starts").containsExactly("n5");

        cluster.finishRemovals();
        stepFor(TICK, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).containsExactly("n5", "n4");
        cluster.finishRemovals();
        stepFor(DEAD_AFTER, "n2~bbbb");
        assertThat(cluster.removals).as("three voters left: the minimum").containsExactly("n5", "n4");
    }

    @Test
    void neverTheLeaderItself() {
        withAutopilot(1);
        cluster.voters("n1~aaaa", "n2~bbbb");
        // Even a stale progress entry for itself does not make the leader look dead to itself.
        stepFor(DEAD_AFTER.multipliedBy(3), "n2~bbbb");
        assertThat(cluster.removals).isEmpty();

        DeadVoterCleanup rules = new DeadVoterCleanup(new AutopilotSettings(DEAD_AFTER, 1), ELECTION);
        assertThat(rules.deadVoter(cluster.status(), id -> Long.MAX_VALUE)).as("everyone silent forever")
                .contains("n2~bbbb");
        assertThat(rules.health("n1~aaaa", cluster.status(), Long.MAX_VALUE).healthy()).isTrue();
    }

    @Test
    void aVoterHeardAgainBeforeTheDeadlineIsKept() {
        MembershipMaintenance m = withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd");
        stepFor(Duration.ZERO, "n2~bbbb", "n3~cccc", "n4~dddd");

        stepFor(DEAD_AFTER.minus(TICK), "n2~bbbb", "n3~cccc");
        stepFor(TICK, "n2~bbbb", "n3~cccc", "n4~dddd");
        assertThat(health(m, "n4~dddd").healthy()).isTrue();
        stepFor(DEAD_AFTER.minus(TICK), "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).as("the silence starts again when it answers").isEmpty();
        assertThat(cluster.voters).contains("n4~dddd");
    }

    @Test
    void offUnlessDeadAfterIsSetAndHealthSaysSo() {
        MembershipMaintenance m = new MembershipMaintenance(settings(), cluster, () -> nowNanos);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd", "n5~eeee");
        stepFor(DEAD_AFTER.multipliedBy(10), m, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).isEmpty();
        assertThat(health(m, "n5~eeee").reason()).contains("autopilot is off").contains("DELETE /api/v1/admin/members/n5");
        assertThat(health(m, "n2~bbbb").healthy()).isTrue();
    }

    @Test
    void learnersAndReplacedIncarnationsAreLeftToTheirOwnRules() {
        MembershipMaintenance m = withAutopilot(1);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n3~ffff");
        cluster.learners.add("n4~dddd");
        // n3~ffff is a newer incarnation that never answered yet: neither of n3's incarnations is autopilot's.
        stepFor(DEAD_AFTER.multipliedBy(3), "n2~bbbb");
        assertThat(cluster.removals).isEmpty();
        assertThat(health(m, "n4~dddd").reason()).contains("learner");
        assertThat(health(m, "n3~cccc").reason()).contains("replace-after");
    }

    @Test
    void noRemovalWhileAPromotionIsInFlight() {
        withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd");
        cluster.learners.add("n5~eeee");
        stepFor(DEAD_AFTER.minus(TICK), "n2~bbbb", "n3~cccc");
        // In the same step the learner is caught up and n4 reaches dead-after: the promotion goes first.
        nowNanos += TICK.toNanos();
        stepFor(DEAD_AFTER, "n2~bbbb", "n3~cccc", "n5~eeee");
        assertThat(cluster.changes).containsExactly(new ConfChange(ConfChange.Type.ADD_VOTER, "n5~eeee"));
        assertThat(cluster.removals).as("the promotion has not committed yet").isEmpty();

        // The promotion commits: n5 is a voter.
        cluster.learners.remove("n5~eeee");
        cluster.voters.add("n5~eeee");
        cluster.confChange.complete(null);
        stepFor(TICK, "n2~bbbb", "n3~cccc", "n5~eeee");
        assertThat(cluster.removals).containsExactly("n4");
    }

    @Test
    void aFailedRemovalIsTriedAgain() {
        withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc", "n4~dddd");
        stepFor(DEAD_AFTER, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).containsExactly("n4");
        cluster.failRemovals();
        stepFor(TICK, "n2~bbbb", "n3~cccc");
        assertThat(cluster.removals).containsExactly("n4", "n4");
    }

    @Test
    void onlyTheLeaderReportsHealth() {
        MembershipMaintenance m = withAutopilot(3);
        cluster.voters("n1~aaaa", "n2~bbbb", "n3~cccc");
        m.step();
        assertThat(m.health()).extracting(MemberHealth::raftId).containsExactly("n1~aaaa", "n2~bbbb", "n3~cccc");
        cluster.role = Role.FOLLOWER;
        m.step();
        assertThat(m.health()).isEmpty();
    }

    private MembershipMaintenance maintenance;

    private MembershipMaintenance withAutopilot(int minVoters) {
        maintenance = new MembershipMaintenance(settings(), cluster, () -> nowNanos,
                new AutopilotSettings(DEAD_AFTER, minVoters), cluster::remove);
        return maintenance;
    }

    private MembershipMaintenance.Settings settings() {
        return new MembershipMaintenance.Settings("n1~aaaa", member("n1"), ELECTION_TICKS, ELECTION,
                Duration.ofHours(1), ELECTION.multipliedBy(10));
    }

    private void stepFor(Duration d, String... heard) {
        stepFor(d, maintenance, heard);
    }

    /** Steps every tick for {@code d} (and once more at its end) while the leader hears only {@code heard}. */
    private void stepFor(Duration d, MembershipMaintenance m, String... heard) {
        long end = nowNanos + d.toNanos();
        do {
            cluster.hearOnly(Set.of(heard));
            m.step();
            if (nowNanos >= end) {
                return;
            }
            nowNanos = Math.min(end, nowNanos + TICK.toNanos());
        } while (true);
    }

    private static MemberHealth health(MembershipMaintenance m, String raftId) {
        return m.health().stream().filter(h -> h.raftId().equals(raftId)).findFirst().orElseThrow();
    }

    private static Member member(String id) {
        return new Member(id, "127.0.0.1:7000", "http://127.0.0.1:8080");
    }

    /** The leader n1~aaaa's view, set by the test; a removal takes every incarnation of the id out once finished. */
    private static final class Leader implements MembershipMaintenance.Cluster {
        final Set<String> voters = new TreeSet<>();
        final Set<String> learners = new TreeSet<>();
        final Map<String, Status.FollowerStatus> progress = new HashMap<>();
        final List<String> removals = new ArrayList<>();
        final List<ConfChange> changes = new ArrayList<>();
        final CompletableFuture<Object> confChange = new CompletableFuture<>();
        private final List<Runnable> pending = new ArrayList<>();
        private final List<CompletableFuture<Object>> futures = new ArrayList<>();
        Role role = Role.LEADER;

        void voters(String... ids) {
            voters.clear();
            voters.addAll(List.of(ids));
        }

        void hearOnly(Set<String> heard) {
            progress.clear();
            for (String id : voters) {
                progress.put(id, heard.contains(id) ? new Status.FollowerStatus(100, 101, "REPLICATE", 0, true, false)
                        : new Status.FollowerStatus(0, 1, "PROBE", 10_000, false, false));
            }
            for (String id : learners) {
                progress.put(id, heard.contains(id) ? new Status.FollowerStatus(100, 101, "REPLICATE", 0, true, true)
                        : new Status.FollowerStatus(0, 1, "PROBE", 10_000, false, true));
            }
        }

        CompletableFuture<?> remove(String nodeId) {
            removals.add(nodeId);
            CompletableFuture<Object> done = new CompletableFuture<>();
            futures.add(done);
            pending.add(() -> {
                voters.removeIf(id -> id.startsWith(nodeId + "~"));
                done.complete(null);
            });
            return done;
        }

        void finishRemovals() {
            List<Runnable> now = new ArrayList<>(pending);
            pending.clear();
            futures.clear();
            now.forEach(Runnable::run);
        }

        void failRemovals() {
            pending.clear();
            futures.forEach(f -> f.completeExceptionally(new IllegalStateException("leadership lost")));
            futures.clear();
        }

        @Override
        public Status status() {
            return new Status("n1~aaaa", role, 3, role == Role.LEADER ? "n1~aaaa" : "n2~bbbb", 100, 100, 100,
                    new ConfState(voters, learners), null, role == Role.LEADER ? Map.copyOf(progress) : Map.of(), 100);
        }

        @Override
        public Map<String, Member> members() {
            return Map.of("n1", member("n1"));
        }

        @Override
        public CompletableFuture<?> submit(Command command) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> proposeConfChange(ConfChange change) {
            changes.add(change);
            return confChange;
        }
    }
}
