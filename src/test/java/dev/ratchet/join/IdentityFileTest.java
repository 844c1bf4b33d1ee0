package dev.ratchet.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity file of a data directory and the Raft ids it gives. */
class IdentityFileTest {

    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndReadsBack() throws IOException {
        IdentityFile file = new IdentityFile(dir.resolve("identity"));
        assertThat(file.read()).isEmpty();
        Incarnation id = Incarnation.fresh(null, "n1", new SecureRandom());
        file.write(id);
        assertThat(file.read()).contains(id);
        file.write(id.withClusterId("c-1"));
        assertThat(file.read()).contains(id.withClusterId("c-1"));
        assertThat(Files.list(dir)).as("no temp file left behind").containsExactly(dir.resolve("identity"));
    }

    @Test
    void anEmptyDirectoryIsAlwaysANewIncarnationEvenWithAStaleFile() throws IOException {
        IdentityFile file = new IdentityFile(dir.resolve("identity"));
        Incarnation first = file.resolve("n1", true, new SecureRandom());
        assertThat(file.resolve("n1", false, new SecureRandom())).isEqualTo(first);
        Incarnation second = file.resolve("n1", true, new SecureRandom());
        assertThat(second.incarnation()).isNotEqualTo(first.incarnation());
        assertThat(file.read()).contains(second);
    }

    @Test
    void dataWithoutAFileIsTheLegacyIncarnation() throws IOException {
        Incarnation legacy = new IdentityFile(dir.resolve("identity")).resolve("n1", false, new SecureRandom());
        assertThat(legacy.raftId()).isEqualTo("n1");
        assertThat(legacy.isLegacy()).isTrue();
    }

    @Test
    void corruptOrForeignFilesStopStartUpWithTheFileNamed() throws IOException {
        Path path = dir.resolve("identity");
        Files.writeString(path, "version=1\nnode-id=n1\nincarnation=NOT VALID\n");
        assertThatThrownBy(() -> new IdentityFile(path).read()).isInstanceOf(IOException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("corrupt");
        Files.writeString(path, "version=7\n");
        assertThatThrownBy(() -> new IdentityFile(path).read()).hasMessageContaining("version 7");
        new IdentityFile(path).write(Incarnation.legacy("n2"));
        assertThatThrownBy(() -> new IdentityFile(path).resolve("n1", false, new SecureRandom()))
                .hasMessageContaining("belongs to node 'n2'");
    }

    @Test
    void raftIdsSplitIntoNodeIdAndIncarnation() {
        assertThat(RaftIds.of("n1", "")).isEqualTo("n1");
        assertThat(RaftIds.of("n1", "ab12")).isEqualTo("n1~ab12");
        assertThat(RaftIds.nodeId("n1~ab12")).isEqualTo("n1");
        assertThat(RaftIds.nodeId("n1")).isEqualTo("n1");
        assertThat(RaftIds.nodeId(null)).isNull();
        assertThat(RaftIds.incarnation("n1~ab12")).isEqualTo("ab12");
        assertThat(RaftIds.sameNode("n1~a", "n1~b")).isTrue();
        assertThat(RaftIds.sameNode("n1~a", "n10~a")).isFalse();
        assertThatThrownBy(() -> dev.ratchet.state.Member.requireValidRaftId("n1~")).hasMessageContaining("incarnation");
        assertThatThrownBy(() -> dev.ratchet.state.Member.requireValidRaftId("n 1~ab")).hasMessageContaining("invalid");
        assertThat(dev.ratchet.state.Member.requireValidRaftId("n1~ab12")).isEqualTo("n1~ab12");
    }
}
