package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A backup restored into a new cluster keeps the data and takes the new cluster's roots and members. */
class BackupImagesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewClusterKeepsDocumentsAndTakesItsOwnRootsAndMembers() {
        ClusterState old = new ClusterState();
        old.apply(1, new Command.SetRoots(utf8("old-roots")));
        old.apply(2, new Command.SetMember(new Member("a", "h:1", "http://h:1")));
        CommandResult.Written w = (CommandResult.Written) old.apply(3, new Command.PutKey("k/1", utf8("v"), null, false));
        old.advanceTo(7);
        byte[] backup = old.snapshot();
        assertThat(BackupImages.appliedIndex(backup)).isEqualTo(7);

        Member self = new Member("fresh", "127.0.0.1:7000", "http://127.0.0.1:8080");
        ClusterState restored = new ClusterState();
        restored.restore(BackupImages.forNewCluster(backup, utf8("new-roots"), self));
        assertThat(restored.appliedIndex()).isEqualTo(7);
        assertThat(restored.roots()).isEqualTo(utf8("new-roots"));
        assertThat(restored.members()).isEqualTo(Map.of("fresh", self));
        Document d = restored.document("k/1");
        assertThat(d.etag()).isEqualTo(w.etag());
        assertThat(restored.documentStats()).isEqualTo(old.documentStats());
    }

    @Test
    void junkIsRefusedWithAClearMessage() {
        Member self = new Member("fresh", "127.0.0.1:7000", "http://127.0.0.1:8080");
        byte[] good = new ClusterState().snapshot();
        assertThatThrownBy(() -> BackupImages.forNewCluster(utf8("not a backup"), utf8("r"), self))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> BackupImages.forNewCluster(Arrays.copyOf(good, good.length - 1), utf8("r"), self))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> BackupImages.appliedIndex(new byte[0])).isInstanceOf(MalformedDataException.class);
    }
}
