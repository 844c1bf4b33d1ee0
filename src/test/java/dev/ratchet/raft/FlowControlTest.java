package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The leader's per-follower flow control (etcd's probe / replicate states, which the paper leaves open): a
 * follower is paused only while the leader has no better knowledge of it, never longer.
 */
class FlowControlTest {

    private static byte[] cmd(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * After a snapshot the leader probes at the snapshot index; the follower's acknowledgement equals the
     * match it already recorded. It must still end the probe, so the next proposal reaches the follower at
     * once and not only after the next heartbeat round.
     */
    @Test
    void probeAcknowledgementEqualToMatchUnpausesTheFollower() {
        TestCluster c = TestCluster.of(3);
        c.elect("n1");
        c.isolate("n3");
        RaftCore n1 = c.core("n1");
        for (int i = 0; i < 5; i++) {
            n1.propose(cmd("v" + i));
        }
        c.stabilize();
        MemoryStorage s1 = c.storages.get("n1");
        long applied = n1.appliedIndex();
        assertThat(applied).isEqualTo(s1.lastIndex());
        Snapshot snap = new Snapshot(new SnapshotMetadata(applied, s1.term(applied), n1.status().conf()), cmd("image"));
        s1.saveLocalSnapshot(snap);
        c.heal();
        c.tick("n1", 1);
        c.stabilize();
        assertThat(c.storages.get("n3").snapshot()).isEqualTo(snap);

        Status.FollowerStatus n3 = n1.status().progress().get("n3");
        assertThat(n3.match()).isEqualTo(applied);
        assertThat(n3.state()).isEqualTo("REPLICATE");
        long index = n1.propose(cmd("after"));
        c.stabilize();
        assertThat(c.storages.get("n3").lastIndex()).isEqualTo(index);
        assertThat(c.core("n3").commitIndex()).isEqualTo(index);
    }
}
