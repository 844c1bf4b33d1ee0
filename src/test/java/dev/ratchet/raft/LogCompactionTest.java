package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * §7 log compaction with a catch-up margin (etcd's {@code SnapshotCatchUpEntries}, issue 12): a storage
 * may keep entries the snapshot already covers, so a follower a little behind is sent those entries
 * rather than the whole snapshot; and the core never applies the kept entries a second time.
 */
class LogCompactionTest {

    private static byte[] cmd(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Twenty entries behind a snapshot, inside a margin of 100: the follower is sent entries. */
    @Test
    void followerSlightlyBehindCatchesUpFromTheLogNotFromASnapshot() {
        TestCluster c = laggingFollowerBehindASnapshot(100);
        c.tickAll(5);
        assertThat(c.delivered).noneMatch(m -> m instanceof Message.InstallSnapshot);
        assertThat(c.storages.get("n3").snapshot()).isEqualTo(Snapshot.EMPTY);
        assertThat(c.appliedCommands("n3")).hasSize(20);
        assertThat(c.core("n3").commitIndex()).isEqualTo(c.core("n1").commitIndex());
    }

    /** Contrast: without a margin the same follower needs the snapshot (so the test above can fail). */
    @Test
    void withoutAMarginTheSameFollowerNeedsTheSnapshot() {
        TestCluster c = laggingFollowerBehindASnapshot(0);
        c.tickAll(5);
        assertThat(c.delivered).anyMatch(m -> m instanceof Message.InstallSnapshot && m.to().equals("n3"));
        assertThat(c.core("n3").commitIndex()).isEqualTo(c.core("n1").commitIndex());
    }

    /** §7: a restarted node starts from its snapshot; entries kept below it are not applied again. */
    @Test
    void restartedNodeDoesNotApplyTheMarginAgain() {
        TestCluster c = TestCluster.of(3, cfg -> cfg, () -> new MemoryStorage(100));
        c.elect("n1");
        for (int i = 0; i < 10; i++) {
            c.core("n1").propose(cmd("v" + i));
        }
        c.stabilize();
        MemoryStorage s2 = c.storages.get("n2");
        long snapshotIndex = snapshotAtApplied(c, "n2");
        assertThat(s2.firstIndex()).as("the margin is kept").isEqualTo(1);

        RaftCore restarted = c.add("n2", s2);
        assertThat(restarted.appliedIndex()).isEqualTo(snapshotIndex);
        c.applied.get("n2").clear();
        c.core("n1").propose(cmd("after"));
        c.tickAll(3);
        assertThat(c.applied.get("n2")).allMatch(e -> e.index() > snapshotIndex);
        assertThat(c.appliedCommands("n2")).containsExactly(cmd("after"));
    }

    private static TestCluster laggingFollowerBehindASnapshot(long margin) {
        TestCluster c = TestCluster.of(3, cfg -> cfg, () -> new MemoryStorage(margin));
        c.elect("n1");
        c.isolate("n3");
        for (int i = 0; i < 20; i++) {
            c.core("n1").propose(cmd("v" + i));
        }
        c.stabilize();
        for (String id : List.of("n1", "n2")) {
            snapshotAtApplied(c, id);
        }
        c.delivered.clear();
        c.heal();
        return c;
    }

    private static long snapshotAtApplied(TestCluster c, String id) {
        RaftCore core = c.core(id);
        MemoryStorage s = c.storages.get(id);
        long applied = core.appliedIndex();
        s.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(applied, s.term(applied), core.status().conf()),
                cmd("image-" + applied)));
        return applied;
    }
}
