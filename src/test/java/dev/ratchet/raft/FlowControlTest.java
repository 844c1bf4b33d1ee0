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

    /**
     * A follower that comes back answers the backlog of heartbeats queued for it (every read-index round
     * sends one) all at once. Each answer used to resume the paused probe and re-send the whole tail the
     * follower lacks: 200 answers, 200 copies of the tail in one Ready (a 256 MiB leader ran out of heap
     * that way in MissedRotationsFailoverTest). One resumption per heartbeat tick is enough to probe.
     */
    @Test
    void aBurstOfHeartbeatAnswersResumesAPausedFollowerOncePerHeartbeat() {
        TestCluster c = TestCluster.of(3);
        c.isolate("n3");
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        for (int i = 0; i < 50; i++) {
            n1.propose(cmd("v" + i));
        }
        c.stabilize();
        assertThat(n1.status().progress().get("n3").state()).isEqualTo("PROBE");

        for (int i = 0; i < 200; i++) {
            n1.step(new Message.HeartbeatResponse("n3", "n1", n1.term(), 0));
        }
        Ready burst = n1.ready();
        assertThat(appendsWithEntriesTo("n3", burst)).isEqualTo(1);
        n1.advance(burst);

        c.dropInFlight();
        c.tick("n1", 1); // the next heartbeat: the probe may go out once more
        c.dropInFlight();
        for (int i = 0; i < 200; i++) {
            n1.step(new Message.HeartbeatResponse("n3", "n1", n1.term(), 0));
        }
        assertThat(appendsWithEntriesTo("n3", n1.ready())).isEqualTo(1);
    }

    /** Flow control still lets the follower catch up once it answers for real. */
    @Test
    void aFollowerPausedByTheOncePerHeartbeatRuleStillCatchesUp() {
        TestCluster c = TestCluster.of(3);
        c.isolate("n3");
        c.elect("n1");
        RaftCore n1 = c.core("n1");
        long last = 0;
        for (int i = 0; i < 50; i++) {
            last = n1.propose(cmd("v" + i));
        }
        c.stabilize();
        c.heal();
        c.tickAll(3);
        assertThat(c.storages.get("n3").lastIndex()).isEqualTo(last);
        assertThat(n1.status().progress().get("n3").state()).isEqualTo("REPLICATE");
    }

    private static long appendsWithEntriesTo(String to, Ready rd) {
        return java.util.stream.Stream.concat(rd.messages().stream(), rd.messagesAfterPersist().stream())
                .filter(m -> m instanceof Message.AppendEntries a && a.to().equals(to) && !a.entries().isEmpty())
                .count();
    }
}
