package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RaftConfigTest {

    @Test
    void defaultsAreValidAndSafe() {
        RaftConfig c = RaftConfig.defaults("n1");
        assertThat(c.preVote()).isTrue();
        assertThat(c.checkQuorum()).isTrue();
        assertThat(c.leaseRead()).isFalse();
    }

    @Test
    void invalidSettingsAreRejectedWithTheReason() {
        RaftConfig c = RaftConfig.defaults("n1");
        assertThatThrownBy(() -> c.withElectionTicks(5, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("electionTicks (5) must be greater than heartbeatTicks (5)");
        assertThatThrownBy(() -> c.withElectionTicks(10, 0)).hasMessageContaining("heartbeatTicks must be >= 1");
        assertThatThrownBy(() -> c.withFeatures(true, false, true)).hasMessageContaining("leaseRead requires checkQuorum");
        assertThatThrownBy(() -> c.withFlowControl(1024, 0, 4096)).hasMessageContaining("maxInflightMsgs");
        assertThatThrownBy(() -> c.withFlowControl(1024, 4, 10)).hasMessageContaining("maxInflightBytes");
        assertThatThrownBy(() -> c.withSnapshotChunkBytes(0)).hasMessageContaining("snapshotChunkBytes");
        assertThatThrownBy(() -> RaftConfig.defaults("")).hasMessageContaining("node id");
    }

    @Test
    void aSnapshotLimitAboveWhatOneArrayHoldsIsRejected() {
        // A follower joins the chunks into one array: a larger limit would only fail after every byte arrived.
        RaftConfig c = RaftConfig.defaults("n1");
        assertThatThrownBy(() -> new RaftConfig(c.id(), c.electionTicks(), c.heartbeatTicks(), c.maxSizePerMsg(),
                c.maxInflightMsgs(), c.maxInflightBytes(), c.maxApplyBytes(), c.maxUncommittedEntries(), c.preVote(),
                c.checkQuorum(), c.leaseRead(), c.snapshotChunkBytes(), 3L << 30, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSnapshotBytes");
    }
}
