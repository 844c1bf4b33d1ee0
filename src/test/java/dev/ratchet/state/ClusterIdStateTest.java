package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster id in the replicated state: named once, kept by snapshots and backups, dropped by a restore into a new cluster. */
class ClusterIdStateTest {

    private final List<String> known = new ArrayList<>();

    private ClusterState listened() {
        ClusterState state = new ClusterState();
        state.addClusterListener(new ClusterState.ClusterListener() {
            @Override
            public void rootsChanged(byte[] serializedRoots) {
            }

            @Override
            public void membersChanged(Map<String, Member> members) {
            }

            @Override
            public void clusterIdKnown(String clusterId) {
                known.add(clusterId);
            }
        });
        return state;
    }

    @Test
    void theFirstIdAppliedWinsAndLaterOnesChangeNothing() {
        ClusterState state = listened();
        assertThat(state.clusterId()).isEmpty();
        state.apply(1, new Command.SetClusterId("first"));
        state.apply(2, new Command.SetClusterId("second"));
        assertThat(state.clusterId()).isEqualTo("first");
        assertThat(known).containsExactly("first");
    }

    @Test
    void aSnapshotCarriesTheIdAndItsRestoreAnnouncesIt() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetClusterId("c0ffee"));
        state.apply(2, new Command.PutKey("k", "v".getBytes(StandardCharsets.UTF_8), null, false));
        ClusterState restored = listened();
        restored.restore(state.snapshot());
        assertThat(restored.clusterId()).isEqualTo("c0ffee");
        assertThat(known).containsExactly("c0ffee");
        assertThat(restored.snapshot()).isEqualTo(state.snapshot());
    }

    @Test
    void aStateWithoutAnIdSnapshotsAsBeforeClusterIds() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.PutKey("k", "v".getBytes(StandardCharsets.UTF_8), null, false));
        ClusterState restored = listened();
        restored.restore(state.snapshot());
        assertThat(restored.clusterId()).isEmpty();
        assertThat(known).isEmpty();
    }

    @Test
    void anOfflineBackupKeepsTheIdButARestoreIntoANewClusterDropsIt() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetClusterId("c0ffee"));
        byte[] backup = BackupImages.fromSnapshot(state.snapshot());
        assertThat(StateSnapshotCodec.decode(backup).clusterId()).isEqualTo("c0ffee");
        byte[] fresh = BackupImages.forNewCluster(backup, new byte[] {1}, new Member("n1", "127.0.0.1:7000",
                "http://127.0.0.1:8080"));
        assertThat(StateSnapshotCodec.decode(fresh).clusterId()).isEmpty();
    }

    @Test
    void aMalformedIdIsRefusedInCommandsAndInSnapshots() {
        assertThatThrownBy(() -> new Command.SetClusterId("has space")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster id must be 1..64 letters, digits or '-'");
        assertThatThrownBy(() -> new Command.SetClusterId("")).isInstanceOf(IllegalArgumentException.class);
        byte[] good = StateSnapshotCodec.encode(1, new byte[0], List.of(), List.of(), List.of(), List.of(), List.of(),
                "abc");
        byte[] bad = good.clone();
        bad[bad.length - 1] = ' ';
        assertThatThrownBy(() -> StateSnapshotCodec.decode(bad)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("cluster id");
    }
}
