package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leader election, each test citing the Raft paper (extended version) or Ongaro's thesis section whose
 * sentences it checks. Rules that depend on the cluster size are checked on 1, 3 and 5 voters (tables).
 */
class ElectionPaperTest {

    private static RaftConfig noPreVote(RaftConfig c) {
        return c.withFeatures(false, true, false);
    }

    private static List<String> ids(int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        return ids;
    }

    /** Cuts n1 off from every peer but the first {@code reachablePeers} (n2, n3, ...). */
    private static void keepReachable(TestCluster c, int size, int reachablePeers) {
        for (int i = 2 + reachablePeers; i <= size; i++) {
            c.cut("n1", "n" + i);
            c.cut("n" + i, "n1");
        }
    }

    /**
     * §5.2: "a follower ... begins an election: it increments its current term ... votes for itself ... issues
     * RequestVote" to every other server; alone, its own vote is already a majority and it leads at once.
     */
    @ParameterizedTest(name = "{0} voters: {1}")
    @CsvSource({"1, LEADER", "3, CANDIDATE", "5, CANDIDATE"})
    void followerCampaignsAfterElectionTimeout(int size, Role expected) {
        TestCluster c = TestCluster.of(size, ElectionPaperTest::noPreVote);
        RaftCore n1 = c.core("n1");
        for (int i = 0; i < 9; i++) {
            n1.tick();
        }
        assertThat(n1.role()).isEqualTo(Role.FOLLOWER);
        for (int i = 0; i < 20 && n1.role() == Role.FOLLOWER; i++) {
            n1.tick();
        }
        assertThat(n1.role()).isEqualTo(expected);
        assertThat(n1.term()).isEqualTo(2);
        Ready rd = n1.ready();
        assertThat(rd.hardState().votedFor()).isEqualTo("n1");
        assertThat(rd.messages()).isEmpty();
        assertThat(rd.messagesAfterPersist()).extracting(Message::to)
                .containsExactlyInAnyOrderElementsOf(ids(size).subList(1, size));
        assertThat(rd.messagesAfterPersist()).allMatch(m -> m instanceof Message.Vote v && v.term() == 2);
    }

    /** §5.2: "A candidate wins an election if it receives votes from a majority of the servers in the full cluster". */
    @ParameterizedTest(name = "{0} voters, {1} peers reachable: elected {2}")
    @CsvSource({"1, 0, true", "3, 1, true", "3, 0, false", "5, 2, true", "5, 1, false"})
    void candidateNeedsVotesFromAMajorityOfTheFullCluster(int size, int reachablePeers, boolean elected) {
        TestCluster c = TestCluster.of(size, ElectionPaperTest::noPreVote);
        keepReachable(c, size, reachablePeers);
        RaftCore n1 = c.core("n1");
        for (int i = 0; i < 100 && n1.role() != Role.LEADER; i++) {
            n1.tick();
            c.stabilize();
        }
        assertThat(n1.role() == Role.LEADER).isEqualTo(elected);
        if (!elected) {
            assertThat(n1.term()).as("it kept trying in new terms").isGreaterThan(2);
        }
    }

    /** §5.2: "election timeouts are chosen randomly from a fixed interval". */
    @Test
    void electionTimeoutIsRandomizedWithinOneToTwoTimeouts() {
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            MemoryStorage s = new MemoryStorage();
            RaftCore.bootstrap(s, List.of("a", "b", "c"));
            RaftCore core = new RaftCore(RaftConfig.defaults("a"), s, new SplittableRandom(seed));
            int ticks = 0;
            while (core.role() == Role.FOLLOWER) {
                core.tick();
                ticks++;
            }
            assertThat(ticks).isBetween(10, 19);
            seen.add(ticks);
        }
        assertThat(seen.size()).isGreaterThan(3);
    }

    /** §5.2: "A candidate wins an election if it receives votes from a majority"; §8: it then commits a no-op. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {1, 3, 5})
    void candidateWithMajorityBecomesLeaderAndCommitsNoop(int size) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        assertThat(n1.term()).isEqualTo(2);
        for (String id : ids(size)) {
            assertThat(c.core(id).leader()).isEqualTo("n1");
            assertThat(c.core(id).term()).isEqualTo(2);
            Entry last = c.applied.get(id).get(c.applied.get(id).size() - 1);
            assertThat(last.type()).isEqualTo(EntryType.NOOP);
            assertThat(last.term()).isEqualTo(2);
        }
    }

    /** §5.2: "each server will vote for at most one candidate in a given term, on a first-come-first-served basis". */
    @Test
    void votesForAtMostOneCandidatePerTerm() {
        TestCluster c = TestCluster.of(3, ElectionPaperTest::noPreVote);
        RaftCore n2 = c.core("n2");
        n2.step(new Message.Vote("n1", "n2", 5, 3, 1, false));
        n2.step(new Message.Vote("n3", "n2", 5, 3, 1, false));
        Ready rd = n2.ready();
        assertThat(rd.messagesAfterPersist()).containsExactly(
                new Message.VoteResponse("n2", "n1", 5, true), new Message.VoteResponse("n2", "n3", 5, false));
        assertThat(rd.hardState()).isEqualTo(new HardState(5, "n1", 3));
    }

    /** §5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the candidate". */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void voterDeniesCandidateWithStaleLog(int size) {
        TestCluster c = TestCluster.of(size, ElectionPaperTest::noPreVote);
        String stale = "n" + size;
        c.elect("n1");
        c.isolate(stale);
        c.core("n1").propose(new byte[] {1});
        c.stabilize();
        c.heal();
        c.core(stale).step(new Message.TimeoutNow("n1", stale, c.core(stale).term()));
        c.stabilize();
        assertThat(c.core(stale).role()).isNotEqualTo(Role.LEADER);
        assertThat(c.delivered).filteredOn(m -> m instanceof Message.VoteResponse && m.to().equals(stale))
                .hasSize(size - 1).allMatch(m -> !((Message.VoteResponse) m).granted());
    }

    /** §5.1: "If a candidate or leader discovers that its term is out of date, it immediately reverts to follower". */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void leaderStepsDownOnHigherTerm(int size) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        n1.step(new Message.AppendEntriesResponse("n2", "n1", 9, false, 0, 0, 0));
        assertThat(n1.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n1.term()).isEqualTo(9);
    }

    /** §5.1: "If a server receives a request with a stale term number, it rejects the request". */
    @Test
    void staleTermAppendIsRejectedWithCurrentTerm() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n2 = c.core("n2");
        long last = n2.status().lastIndex();
        n2.step(new Message.AppendEntries("n3", "n2", 1, last, 2,
                List.of(new Entry(last + 1, 1, EntryType.COMMAND, new byte[] {9})), last + 1));
        Ready rd = n2.ready();
        assertThat(rd.entries()).isEmpty();
        assertThat(rd.messagesAfterPersist()).containsExactly(
                new Message.AppendEntriesResponse("n2", "n3", 2, false, 0, 0, 0));
    }

    /** Thesis §9.6: a partitioned node's pre-votes fail, so its term does not grow and it cannot disrupt on return. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void preVoteKeepsAPartitionedNodeFromRaisingItsTerm(int size) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        c.isolate("n" + size);
        c.tickAll(100);
        assertThat(c.core("n" + size).term()).isEqualTo(2);
        c.heal();
        c.tickAll(30);
        assertThat(c.core("n1").role()).isEqualTo(Role.LEADER);
        assertThat(c.core("n1").term()).isEqualTo(2);
    }

    /** Contrast for §9.6: without pre-vote the same partition inflates the term and forces a new election. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void withoutPreVoteAPartitionedNodeDisruptsOnReturn(int size) {
        TestCluster c = TestCluster.of(size, cfg -> cfg.withFeatures(false, false, false));
        c.elect("n1");
        c.isolate("n" + size);
        c.tickAll(100);
        assertThat(c.core("n" + size).term()).isGreaterThan(5);
        c.heal();
        c.tickAll(30);
        assertThat(c.core("n1").term()).isGreaterThan(5);
    }

    /** Thesis §6.2 (check-quorum): a leader that cannot reach a majority for an election timeout steps down. */
    @ParameterizedTest(name = "{0} voters, {1} peers reachable: steps down {2}")
    @CsvSource({"1, 0, false", "3, 1, false", "3, 0, true", "5, 2, false", "5, 1, true"})
    void leaderWithoutQuorumStepsDown(int size, int reachablePeers, boolean stepsDown) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        keepReachable(c, size, reachablePeers);
        RaftCore n1 = c.core("n1");
        for (int i = 0; i < 9; i++) {
            n1.tick();
            c.stabilize();
        }
        assertThat(n1.role()).isEqualTo(Role.LEADER);
        for (int i = 0; i < 12; i++) {
            n1.tick();
            c.stabilize();
        }
        assertThat(n1.role()).isEqualTo(stepsDown ? Role.FOLLOWER : Role.LEADER);
    }

    /** Thesis §4.2.3: a server that heard from a leader within the election timeout ignores RequestVote. */
    @Test
    void followerInLeaseIgnoresDisruptiveVote() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n2 = c.core("n2");
        n2.step(new Message.Vote("n3", "n2", 7, 100, 7, false));
        assertThat(n2.term()).isEqualTo(2);
        assertThat(n2.hasReady()).isFalse();
        n2.step(new Message.Vote("n3", "n2", 7, 100, 7, true));
        assertThat(n2.term()).isEqualTo(7);
    }

    /** Thesis §3.10: leadership transfer catches the target up and sends TimeoutNow; it wins the next term. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void leadershipTransferHandsOverToTarget(int size) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        c.core("n1").transferLeadership("n2");
        c.stabilize();
        assertThat(c.core("n2").role()).isEqualTo(Role.LEADER);
        assertThat(c.core("n2").term()).isEqualTo(3);
        assertThat(c.core("n1").role()).isEqualTo(Role.FOLLOWER);
    }

    /** Thesis §3.10: proposals are refused during a transfer, which is aborted after an election timeout. */
    @Test
    void transferRefusesProposalsAndAbortsAfterElectionTimeout() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n2");
        c.cut("n1", "n3");
        RaftCore n1 = c.core("n1");
        n1.transferLeadership("n2");
        assertThat(n1.status().leadTransferee()).isEqualTo("n2");
        assertThatThrownBy(() -> n1.propose(new byte[] {1})).isInstanceOf(ProposalDroppedException.class);
        c.heal();
        c.isolate("n2");
        c.tick("n1", 10);
        c.stabilize();
        assertThat(n1.status().leadTransferee()).isNull();
        assertThat(n1.role()).isEqualTo(Role.LEADER);
        n1.propose(new byte[] {1});
    }

    @Test
    void followerRefusesProposalsNamingTheLeader() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        assertThatThrownBy(() -> c.core("n2").propose(new byte[] {1}))
                .isInstanceOfSatisfying(NotLeaderException.class, e -> assertThat(e.leaderHint()).isEqualTo("n1"));
    }
}
