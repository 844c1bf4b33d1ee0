package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.trust.TrustSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a data directory says about who a node is, on a real single-node start (TLS, file storage): an
 * empty directory is a new incarnation, a restart keeps it, a lost Raft directory makes another one, a
 * directory from before incarnations keeps the bare node id, and another node's directory is refused.
 */
class NodeIdentityStartTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryIsANewIncarnationThatARestartKeeps() throws Exception {
        Incarnation first = startAndStop("solo");
        assertThat(first.incarnation()).hasSize(16);
        assertThat(first.raftId()).isEqualTo("solo~" + first.incarnation());
        assertThat(new IdentityFile(dir.resolve("identity")).read()).contains(first);

        assertThat(startAndStop("solo")).as("a restart is the same incarnation").isEqualTo(first);

        deleteTree(dir.resolve("raft"));
        Incarnation again = startAndStop("solo");
        assertThat(again.incarnation()).as("an empty Raft directory remembers nothing: a new incarnation")
                .isNotEqualTo(first.incarnation());
    }

    @Test
    void aDirectoryFromBeforeIncarnationsKeepsTheBareNodeId() throws Exception {
        String clusterId = startAndStop("solo").clusterId();
        assertThat(clusterId).as("the founder names its cluster").matches("[0-9a-f]{32}");
        Files.delete(dir.resolve("identity"));
        Incarnation legacy = startAndStop("solo");
        assertThat(legacy.isLegacy()).isTrue();
        assertThat(legacy.raftId()).isEqualTo("solo");
        // The id comes back from the replicated state and is recorded again.
        assertThat(legacy.clusterId()).isEqualTo(clusterId);
        assertThat(new IdentityFile(dir.resolve("identity")).read()).contains(legacy);
    }

    @Test
    void anotherNodesDirectoryIsRefused() throws Exception {
        startAndStop("solo");
        assertThatThrownBy(() -> startAndStop("other")).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to node 'solo'");
    }

    private Incarnation startAndStop(String id) throws Exception {
        int peerPort = freePort();
        NodeSettings settings = new NodeSettings(id, dir, true, "identity-test-token-0123456789", Map.of(), List.of(),
                "127.0.0.1", peerPort, null, null, "http://127.0.0.1:1", Duration.ofMillis(20), 10, 1000,
                TrustSettings.defaults(), Duration.ofSeconds(5), Duration.ofSeconds(2));
        try (RatchetNode node = new RatchetNode(settings, Clock.systemUTC(), new SecureRandom(), (side, root, result) -> { })) {
            assertThat(node.membershipWait()).isEqualTo(MembershipWait.JOINING);
            assertThat(node.notReadyReason()).contains("starting");
            node.start();
            if (!node.identity().isLegacy()) {
                await().atMost(Duration.ofSeconds(20)).until(node::isReady);
                assertThat(node.driver().status().id()).isEqualTo(node.identity().raftId());
                assertThat(node.membershipWait()).isEqualTo(MembershipWait.NONE);
            } else {
                // Its Raft id (the bare node id) is not the incarnation in the configuration.
                assertThat(node.membershipWait()).isEqualTo(MembershipWait.NOT_MEMBER);
            }
            // The data directory records the cluster it belongs to (from the replicated state if not founding).
            await().atMost(Duration.ofSeconds(20)).until(() -> node.identity().clusterId() != null);
            // The founder records its id in the identity file at once, but the replicated state learns it
            // only from the leader's first maintenance pass: stop before that and a later start from a
            // directory without the identity file has nowhere to get the id back from.
            await().atMost(Duration.ofSeconds(20)).until(() -> !node.state().clusterId().isEmpty());
            return node.identity();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
