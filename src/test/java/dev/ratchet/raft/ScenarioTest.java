package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Multi-step scenarios that cross concerns: restarts, transfers during snapshot streaming, monitoring status. */
class ScenarioTest {

    private static byte[] cmd(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Figure 2 "persistent state on all servers": a restarted node keeps its term, vote and log. */
    @Test
    void restartedNodeRecoversTermVoteAndLog() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.core("n1").propose(cmd("x"));
        c.stabilize();
        RaftCore before = c.core("n2");
        RaftCore after = c.add("n2", c.storages.get("n2"));
        assertThat(after.term()).isEqualTo(before.term());
        assertThat(after.status().lastIndex()).isEqualTo(before.status().lastIndex());
        assertThat(c.storages.get("n2").hardState().votedFor()).isEqualTo("n1");
        c.applied.get("n2").clear();
        c.tickAll(3);
        // Entries after the (absent) snapshot are applied again from the log.
        assertThat(c.appliedCommands("n2")).containsExactly(cmd("x"));
    }

    /** Leadership moves while a follower is mid-way through a snapshot; the new leader finishes the job. */
    @Test
    void transferDuringSnapshotStreamingStillConverges() {
        TestCluster c = TestCluster.of(3, cfg -> cfg.withSnapshotChunkBytes(3));
        c.elect("n1");
        c.isolate("n3");
        for (int i = 0; i < 10; i++) {
            c.core("n1").propose(cmd("v" + i));
        }
        c.stabilize();
        for (String id : new String[] {"n1", "n2"}) {
            RaftCore core = c.core(id);
            MemoryStorage s = c.storages.get(id);
            long applied = core.appliedIndex();
            s.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(applied, s.term(applied), core.status().conf()),
                    cmd("image-" + applied + "-" + id.charAt(0))));
        }
        c.heal();
        // Let a couple of chunks through, then hand leadership to n2.
        c.core("n1").tick();
        c.core("n1").tick();
        int chunksDelivered = 0;
        for (int i = 0; i < 200 && chunksDelivered < 2; i++) {
            if (c.inFlight.isEmpty()) {
                c.core("n1").tick();
                c.processReadies();
            }
            Message next = c.inFlight.peek();
            c.deliverOne();
            if (next instanceof Message.InstallSnapshot && next.to().equals("n3")) {
                chunksDelivered++;
            }
        }
        assertThat(c.core("n3").status().lastIndex()).isLessThan(c.core("n1").status().lastIndex());
        assertThat(c.delivered).anyMatch(m -> m instanceof Message.InstallSnapshot && m.to().equals("n3"));
        c.core("n1").transferLeadership("n2");
        c.stabilize();
        c.tickAll(20);
        assertThat(c.core("n2").role()).isEqualTo(Role.LEADER);
        c.core("n2").propose(cmd("after"));
        c.stabilize();
        assertThat(c.appliedCommands("n3")).containsExactly(cmd("after"));
        assertThat(c.storages.get("n3").snapshot().metadata().index())
                .isEqualTo(c.storages.get("n2").snapshot().metadata().index());
    }

    /** Status exposes what the metrics binder needs: per-follower match, next, contact age and activity. */
    @Test
    void statusReportsFollowerProgressAndContact() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n3");
        c.tick("n1", 4);
        c.stabilize();
        Status s = c.core("n1").status();
        assertThat(s.role()).isEqualTo(Role.LEADER);
        assertThat(s.leader()).isEqualTo("n1");
        assertThat(s.progress()).containsOnlyKeys("n2", "n3");
        Status.FollowerStatus n2 = s.progress().get("n2");
        Status.FollowerStatus n3 = s.progress().get("n3");
        assertThat(n2.match()).isEqualTo(s.lastIndex());
        assertThat(n2.next()).isEqualTo(s.lastIndex() + 1);
        assertThat(n2.ticksSinceContact()).isLessThanOrEqualTo(1);
        assertThat(n3.ticksSinceContact()).isGreaterThanOrEqualTo(4);
        assertThat(n2.recentActive()).isTrue();
        assertThat(c.core("n2").status().progress()).isEmpty();
    }
}
