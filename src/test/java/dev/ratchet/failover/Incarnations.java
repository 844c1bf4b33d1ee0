package dev.ratchet.failover;

import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** What the disk-loss scenarios share: wiping a node, reading its incarnation, waiting for its replacement. */
final class Incarnations {

    private Incarnations() {
    }

    /** SIGKILL, then the data directory goes (a lost disk or PVC). */
    static void wipe(NodeProcess n) throws IOException, InterruptedException {
        n.kill();
        if (Files.exists(n.dataDir())) {
            try (Stream<Path> all = Files.walk(n.dataDir())) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The Raft id recorded in {@code n}'s data directory, or null if it has none (yet). */
    static String raftId(NodeProcess n) {
        Path file = n.dataDir().resolve("identity");
        try {
            String incarnation = Files.readAllLines(file).stream().filter(l -> l.startsWith("incarnation="))
                    .map(l -> l.substring("incarnation=".length())).findFirst().orElse("");
            return incarnation.isEmpty() ? n.id() : n.id() + "~" + incarnation;
        } catch (IOException e) {
            return null;
        }
    }

    /** The Raft ids of the voters as {@code n} reports them ({@code /actuator/consensus}). */
    static Set<String> voterIds(NodeProcess n) throws IOException, InterruptedException {
        JsonNode view = LocalCluster.json(FailoverScenario.admin(n, "GET", "/actuator/consensus").body());
        Set<String> out = new TreeSet<>();
        for (JsonNode m : view.path("members")) {
            if ("voter".equals(m.path("role").asString())) {
                out.add(m.path("raftId").asString());
            }
        }
        return out;
    }

    /**
     * Waits until the leader's configuration has exactly {@code voters} voters, one of them a new
     * incarnation of {@code n}'s node id and none the old one; returns the new Raft id.
     */
    static String awaitReplaced(LocalCluster cluster, NodeProcess n, String old, int voters, Duration atMost) {
        return await(n.id() + " replaced its old incarnation " + old).atMost(atMost).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    NodeProcess leader = FailoverScenario.leaderAmong(cluster, null);
                    if (leader == null) {
                        return null;
                    }
                    Set<String> ids = voterIds(leader);
                    String fresh = raftId(n);
                    return ids.size() == voters && fresh != null && !fresh.equals(old) && ids.contains(fresh)
                            && !ids.contains(old) ? fresh : null;
                }, id -> id != null);
    }
}
