package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Linearizable reads (thesis §6.4) and membership changes (thesis §4), each test citing its section. */
class ReadIndexAndMembershipTest {

    /** Thesis §6.4: the read index is released only after a heartbeat round confirms leadership. */
    @Test
    void readIndexWaitsForAHeartbeatQuorum() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        long commit = n1.commitIndex();
        n1.readIndex(7);
        c.processReadies();
        assertThat(c.readStates.get("n1")).isEmpty();
        assertThat(c.inFlight).filteredOn(m -> m instanceof Message.Heartbeat h && h.readContext() > 0).hasSize(2);
        c.stabilize();
        assertThat(c.readStates.get("n1")).containsExactly(new ReadState(7, commit));
    }

    /** Thesis §6.4: a leader cut off from the majority never confirms a read (it may have been deposed). */
    @Test
    void isolatedLeaderNeverConfirmsARead() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n1");
        c.core("n1").readIndex(8);
        c.stabilize();
        c.tick("n1", 5);
        c.stabilize();
        assertThat(c.readStates.get("n1")).isEmpty();
    }

    /** Thesis §6.4 step 1: a new leader serves reads only after committing an entry of its own term. */
    @Test
    void newLeaderDefersReadsUntilItsTermHasACommit() {
        TestCluster c = TestCluster.of(3);
        RaftCore n1 = c.core("n1");
        while (n1.role() != Role.LEADER) {
            n1.tick();
            c.processReadies();
            while (!c.inFlight.isEmpty() && n1.role() != Role.LEADER) {
                c.deliverOne();
            }
        }
        long noop = n1.status().lastIndex();
        assertThat(n1.commitIndex()).isLessThan(noop);
        n1.readIndex(9);
        c.stabilize();
        assertThat(c.readStates.get("n1")).containsExactly(new ReadState(9, noop));
    }

    /** Thesis §6.4.1: with leaseRead the leader answers from its lease, without a heartbeat round. */
    @Test
    void leaseReadAnswersWithoutHeartbeats() {
        TestCluster c = TestCluster.of(3, cfg -> cfg.withFeatures(true, true, true));
        c.elect("n1");
        c.core("n1").readIndex(3);
        c.processReadies();
        assertThat(c.readStates.get("n1")).containsExactly(new ReadState(3, c.core("n1").commitIndex()));
        assertThat(c.inFlight).noneMatch(m -> m instanceof Message.Heartbeat);
    }

    /** Thesis §6.4.1: once the followers have been silent for half an election timeout the lease is not trusted. */
    @Test
    void leaseReadFallsBackToAHeartbeatRoundWhenTheLeaseIsStale() {
        TestCluster c = TestCluster.of(3, cfg -> cfg.withFeatures(true, true, true));
        c.elect("n1");
        c.isolate("n1");
        c.tick("n1", 6);
        c.dropInFlight();
        c.core("n1").readIndex(4);
        c.processReadies();
        assertThat(c.readStates.get("n1")).isEmpty();
        c.heal();
        c.stabilize();
        assertThat(c.readStates.get("n1")).extracting(ReadState::requestId).containsExactly(4L);
    }

    @Test
    void followersRefuseReadIndex() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        assertThatThrownBy(() -> c.core("n2").readIndex(1)).isInstanceOf(NotLeaderException.class);
    }

    /** Thesis §4.2.1: a learner receives the log but neither votes in commitment nor campaigns; then it is promoted. */
    @Test
    void learnerCatchesUpWithoutCountingThenIsPromoted() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        n1.propose(new byte[] {1});
        c.stabilize();
        n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4"));
        c.stabilize();
        RaftCore n4 = c.add("n4", new MemoryStorage());
        c.tickAll(3);
        assertThat(c.appliedCommands("n4")).hasSize(1);
        assertThat(n1.status().progress().get("n4").learner()).isTrue();
        // The learner alone with the leader is not a quorum.
        c.isolate("n2");
        c.isolate("n3");
        long commit = n1.commitIndex();
        n1.propose(new byte[] {2});
        c.stabilize();
        assertThat(n1.commitIndex()).isEqualTo(commit);
        c.tick("n4", 50);
        assertThat(n4.role()).isEqualTo(Role.FOLLOWER);
        c.heal();
        c.tickAll(2);
        n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, "n4"));
        c.stabilize();
        c.tickAll(2);
        assertThat(n1.status().conf().voters()).containsExactly("n1", "n2", "n3", "n4");
        assertThat(n4.status().conf().voters()).contains("n4");
        assertThat(c.appliedCommands("n4")).hasSize(2);
    }

    /** Thesis §4.1: only one membership change may be uncommitted at a time. */
    @Test
    void secondChangeIsRefusedUntilTheFirstCommits() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n1");
        RaftCore n1 = c.core("n1");
        n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4"));
        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "n5")))
                .isInstanceOf(ProposalDroppedException.class);
        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, "zz")))
                .isInstanceOfAny(ProposalDroppedException.class, IllegalArgumentException.class);
    }

    @Test
    void invalidChangesAreRejectedWithAReason() {
        TestCluster c = TestCluster.of(1);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, "n9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a member");
        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, "n1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last voter");
        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, "n1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    }

    /** Thesis §4.2.2: a leader removing itself manages the cluster until the change commits, then steps down. */
    @Test
    void removedLeaderStepsDownAfterCommitAndOthersElectANewOne() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        long index = n1.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, "n1"));
        assertThat(n1.role()).isEqualTo(Role.LEADER);
        assertThatThrownBy(() -> n1.propose(new byte[] {1})).isInstanceOf(ProposalDroppedException.class);
        c.stabilize();
        assertThat(n1.role()).isEqualTo(Role.FOLLOWER);
        c.tickAll(40);
        RaftCore leader = c.leader();
        // The old leader stepped down at once; its successor commits the removal along with its own no-op.
        assertThat(c.core("n2").commitIndex()).isGreaterThan(index);
        assertThat(n1.role()).isEqualTo(Role.FOLLOWER);
        assertThat(leader).isNotNull();
        assertThat(leader.id()).isIn("n2", "n3");
        assertThat(leader.status().conf().voters()).containsExactly("n2", "n3");
        leader.propose(new byte[] {5});
        c.stabilize();
        assertThat(c.appliedCommands(leader.id())).isNotEmpty();
    }

    @Test
    void confChangeEncodingRoundTripsAndRejectsJunk() {
        ConfChange cc = new ConfChange(ConfChange.Type.ADD_LEARNER, "node-ü");
        assertThat(ConfChange.decode(cc.encode())).isEqualTo(cc);
        assertThatThrownBy(() -> ConfChange.decode(new byte[] {9, 0, 65})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfChange.decode(new byte[] {0, 5, 65})).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfChange.applyEntry(ConfState.EMPTY, new byte[] {1})).isEqualTo(ConfState.EMPTY);
        assertThat(List.of(ConfChange.Type.values())).hasSize(3);
    }
}
