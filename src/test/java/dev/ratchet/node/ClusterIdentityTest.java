package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.state.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory records the cluster it belongs to, and notices when it is handed another one. */
class ClusterIdentityTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    private ClusterIdentity fresh(IdentityFile file) throws IOException {
        Incarnation identity = file.resolve("n1", true, random);
        return new ClusterIdentity(file, identity, random);
    }

    @Test
    void aFounderMintsAnIdOnceAndRecordsIt() throws IOException {
        IdentityFile file = new IdentityFile(dir.resolve("identity"));
        ClusterIdentity founder = fresh(file);
        String id = founder.mint();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(founder.mint()).isEqualTo(id);
        assertThat(file.read().orElseThrow().clusterId()).isEqualTo(id);
        assertThat(founder.seed("")).contains(new Command.SetClusterId(id));
        assertThat(founder.seed(id)).isEmpty();
    }

    @Test
    void aJoinerRecordsTheIdItApplies() throws IOException {
        IdentityFile file = new IdentityFile(dir.resolve("identity"));
        ClusterIdentity joiner = fresh(file);
        assertThat(joiner.applied("abc123")).isTrue();
        assertThat(file.read().orElseThrow().clusterId()).isEqualTo("abc123");
        assertThat(joiner.current().clusterId()).isEqualTo("abc123");
        assertThat(joiner.conflict()).isEmpty();
        // After a restart the recorded id is read back and the same id still passes.
        ClusterIdentity restarted = new ClusterIdentity(file, file.resolve("n1", false, random), random);
        assertThat(restarted.applied("abc123")).isTrue();
    }

    @Test
    void anotherClusterIsRefusedAndNothingIsOverwritten() throws IOException {
        IdentityFile file = new IdentityFile(dir.resolve("identity"));
        ClusterIdentity node = fresh(file);
        node.applied("ours");
        assertThat(node.applied("theirs")).isFalse();
        assertThat(node.conflict()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("belongs to cluster ours, but the cluster it reached is theirs"));
        assertThat(file.read().orElseThrow().clusterId()).isEqualTo("ours");
    }

    @Test
    void aLeaderOfAClusterWithoutAnIdNamesIt() throws IOException {
        ClusterIdentity legacy = new ClusterIdentity(new IdentityFile(dir.resolve("identity")), Incarnation.legacy("n1"),
                random);
        assertThat(legacy.seed("")).hasValueSatisfying(c ->
                assertThat(((Command.SetClusterId) c).clusterId()).matches("[0-9a-f]{32}"));
    }
}
