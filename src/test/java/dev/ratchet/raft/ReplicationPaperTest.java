package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Log replication, commitment, flow control and snapshots, each test citing the section it checks. Rules
 * that depend on the cluster size are checked on 1, 3 and 5 voters (tables).
 */
class ReplicationPaperTest {

    private static byte[] cmd(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> ids(int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        return ids;
    }

    /**
     * §5.3: "A log entry is committed once the leader that created the entry has replicated it on a majority
     * of the servers"; the followers apply it once they learn it committed, the cut-off ones later.
     */
    @ParameterizedTest(name = "{0} voters, {1} cut off: commits {2}")
    @CsvSource({"1, 0, true", "3, 1, true", "3, 2, false", "5, 2, true", "5, 3, false"})
    void entryCommitsOnMajorityAndIsAppliedEverywhereLater(int size, int cutOff, boolean commits) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        List<String> away = ids(size).subList(size - cutOff, size);
        away.forEach(c::isolate);
        c.core("n1").propose(cmd("x"));
        c.stabilize();
        for (String id : ids(size)) {
            boolean applied = commits && !away.contains(id);
            assertThat(c.appliedCommands(id)).as(id).hasSize(applied ? 1 : 0);
        }
        c.heal();
        c.tickAll(3);
        for (String id : ids(size)) {
            assertThat(c.appliedCommands(id)).as(id).containsExactly(cmd("x"));
        }
    }

    /** §5.3: "the leader handles inconsistencies by forcing the followers' logs to duplicate its own". */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void conflictingUncommittedEntriesAreOverwritten(int size) {
        TestCluster c = TestCluster.of(size);
        c.elect("n1");
        c.isolate("n1");
        c.core("n1").propose(cmd("lost-1"));
        c.core("n1").propose(cmd("lost-2"));
        c.stabilize();
        c.elect("n2");
        c.core("n2").propose(cmd("kept"));
        c.stabilize();
        c.heal();
        c.tickAll(5);
        assertThat(c.core("n1").role()).isEqualTo(Role.FOLLOWER);
        for (String id : ids(size)) {
            assertThat(c.appliedCommands(id)).containsExactly(cmd("kept"));
            assertThat(c.storages.get(id).lastIndex()).isEqualTo(c.storages.get("n2").lastIndex());
        }
    }

    /**
     * §5.3 optimization: "the follower can include the term of the conflicting entry and the first index it
     * stores for that term", so the leader skips a whole term per round trip instead of one entry.
     */
    @Test
    void conflictBackOffSkipsWholeTerms() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n1");
        for (int i = 0; i < 50; i++) {
            c.core("n1").propose(cmd("stale-" + i));
        }
        c.stabilize();
        c.elect("n2");
        for (int i = 0; i < 60; i++) {
            c.core("n2").propose(cmd("new-" + i));
        }
        c.stabilize();
        // A leader elected now starts probing n1 at its own last index, far beyond n1's stale term-2 suffix.
        c.elect("n3");
        c.delivered.clear();
        c.heal();
        c.tickAll(5);
        long rejections = c.delivered.stream()
                .filter(m -> m instanceof Message.AppendEntriesResponse r && !r.success() && r.from().equals("n1"))
                .count();
        // One entry at a time would take 50 rejections; skipping terms takes one or two.
        assertThat(rejections).isBetween(1L, 2L);
        assertThat(c.appliedCommands("n1")).hasSize(60);
    }

    /**
     * §5.4.2 (Figure 8): "Raft never commits log entries from previous terms by counting replicas"; only an
     * entry of the current term commits, and earlier ones with it.
     */
    @Test
    void previousTermEntryIsNotCommittedByCountingReplicas() {
        TestCluster c = TestCluster.of(3, cfg -> cfg.withFlowControl(1, 1, 1024));
        c.elect("n1");
        c.isolate("n3");
        c.cut("n2", "n1");
        long x = c.core("n1").propose(cmd("x"));
        c.stabilize();
        assertThat(c.storages.get("n2").lastIndex()).isEqualTo(x);
        assertThat(c.core("n2").commitIndex()).isLessThan(x);
        // n2 (holding x from term 2) wins term 3 with n3's vote while n1 is away.
        c.heal();
        c.isolate("n1");
        c.elect("n2");
        RaftCore n2 = c.core("n2");
        // Deliver one message at a time until n3 has acknowledged x, but not yet n2's own no-op.
        n2.tick();
        c.processReadies();
        boolean xReplicated = false;
        while (!c.inFlight.isEmpty() && !xReplicated) {
            Message m = c.inFlight.peek();
            c.deliverOne();
            if (m instanceof Message.AppendEntriesResponse r && r.success() && r.index() == x && r.from().equals("n3")) {
                xReplicated = true;
            }
        }
        c.stabilize();
        assertThat(n2.commitIndex()).isGreaterThan(x);
    }

    /** Thesis §10.2.1: the leader may send before its own write is durable, but counts itself only after. */
    @Test
    void leaderCountsItselfOnlyAfterPersisting() {
        TestCluster c = TestCluster.of(1);
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        long index = n1.propose(cmd("solo"));
        Ready first = n1.ready();
        assertThat(first.entries()).extracting(Entry::index).containsExactly(index);
        assertThat(first.committedEntries()).isEmpty();
        c.storages.get("n1").append(first.entries());
        n1.advance(first);
        Ready second = n1.ready();
        assertThat(second.committedEntries()).extracting(Entry::index).containsExactly(index);
        n1.advance(second);
    }

    /** Flow control: at most maxInflightMsgs unacknowledged AppendEntries per follower in the replicate state. */
    @Test
    void inflightAppendsAreBounded() {
        TestCluster c = TestCluster.of(3, cfg -> cfg.withFlowControl(1, 2, 1 << 20));
        c.elect("n1");
        c.cut("n2", "n1");
        for (int i = 0; i < 10; i++) {
            c.core("n1").propose(cmd("e" + i));
        }
        c.processReadies();
        long toN2 = c.inFlight.stream()
                .filter(m -> m instanceof Message.AppendEntries a && a.to().equals("n2") && !a.entries().isEmpty())
                .count();
        assertThat(toN2).isEqualTo(2);
        assertThat(c.core("n1").status().progress().get("n2").state()).isEqualTo("REPLICATE");
    }

    /** §7: a follower that is behind the leader's snapshot gets it in chunks, installs it and catches up. */
    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5})
    void laggingFollowerReceivesSnapshotInChunks(int size) {
        TestCluster c = TestCluster.of(size, cfg -> cfg.withSnapshotChunkBytes(4));
        String lagging = "n" + size;
        c.elect("n1");
        c.isolate(lagging);
        for (int i = 0; i < 20; i++) {
            c.core("n1").propose(cmd("v" + i));
        }
        c.stabilize();
        RaftCore n1 = c.core("n1");
        MemoryStorage s1 = c.storages.get("n1");
        long applied = n1.appliedIndex();
        byte[] image = cmd("state-image-of-the-application");
        Snapshot snap = new Snapshot(new SnapshotMetadata(applied, s1.term(applied), n1.status().conf()), image);
        s1.saveLocalSnapshot(snap);
        c.delivered.clear();
        c.heal();
        c.tickAll(10);
        long chunks = c.delivered.stream().filter(m -> m instanceof Message.InstallSnapshot && m.to().equals(lagging))
                .count();
        assertThat(chunks).isGreaterThanOrEqualTo((image.length + 3) / 4);
        assertThat(c.delivered).filteredOn(m -> m instanceof Message.InstallSnapshot)
                .allMatch(m -> m.to().equals(lagging));
        assertThat(c.storages.get(lagging).snapshot()).isEqualTo(snap);
        n1.propose(cmd("after"));
        c.stabilize();
        assertThat(c.appliedCommands(lagging)).containsExactly(cmd("after"));
        assertThat(c.core(lagging).commitIndex()).isEqualTo(n1.commitIndex());
    }

    /** Assertions in the core: committed entries are never overwritten, commit never goes backwards. */
    @Test
    void coreRejectsAppendsThatWouldRewriteCommittedEntries() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n2 = c.core("n2");
        long commit = n2.commitIndex();
        Message.AppendEntries bad = new Message.AppendEntries("n1", "n2", n2.term(), commit - 1,
                c.storages.get("n2").term(commit - 1), List.of(new Entry(commit, 99, EntryType.COMMAND, new byte[0])), commit);
        n2.step(bad);
        assertThat(n2.commitIndex()).isEqualTo(commit);
        RaftLog log = new RaftLog(c.storages.get("n2"));
        assertThatThrownBy(() -> log.truncateAndAppend(List.of(new Entry(commit, 9, EntryType.NOOP, null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
        assertThatThrownBy(() -> log.commitTo(log.lastIndex() + 1)).isInstanceOf(IllegalStateException.class);
    }

    /** A follower far behind knows it: the leader's announced commit stays ahead of its own until it catches up. */
    @Test
    void aLaggingFollowerReportsTheCommitItsLeaderAnnounced() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        RaftCore n2 = c.core("n2");
        long commit = n2.commitIndex();
        // An append whose entries end at commit + 1 from a leader that has committed commit + 500.
        n2.step(new Message.AppendEntries("n1", "n2", n2.term(), commit, c.storages.get("n2").term(commit),
                List.of(new Entry(commit + 1, n2.term(), EntryType.COMMAND, new byte[0])), commit + 500));
        assertThat(n2.status().commit()).isEqualTo(commit + 1);
        assertThat(n2.status().leaderCommit()).isEqualTo(commit + 500);
        assertThat(c.core("n1").status().leaderCommit()).isEqualTo(c.core("n1").commitIndex());
    }

    @Test
    void readyLifecycleMisuseIsRefused() {
        TestCluster c = TestCluster.of(3);
        RaftCore n1 = c.core("n1");
        n1.tick();
        Ready rd = n1.ready();
        assertThatThrownBy(n1::tick).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n1.advance(new Ready(null, null, null, List.of(), List.of(), List.of(), List.of(), List.of())))
                .isInstanceOf(IllegalStateException.class);
        n1.advance(rd);
        assertThatThrownBy(() -> n1.step(new Message.Heartbeat("n2", "n3", 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
