package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.transport.PlainTransports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A two-voter cluster of real drivers, bridges and loopback transports. What a follower's caller chains on
 * a forwarded write or read (the API's answer, the servlet's async dispatch) must not run on the
 * follower's driver thread: there it held up the follower's next Ready and so its acknowledgements, and
 * with two forwarding followers every commit waited (issue 14).
 */
class ForwardedCompletionThreadTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);
    private static final List<String> VOTERS = List.of("n1~a", "n2~b");

    private final Map<String, ClusterNode> nodes = new ConcurrentHashMap<>();
    private final List<RaftPeerBridge> bridges = new ArrayList<>();
    private PlainTransports transports;

    @AfterEach
    void stop() {
        nodes.values().forEach(n -> n.driver().close());
        if (transports != null) {
            transports.close();
        }
        bridges.forEach(RaftPeerBridge::close);
    }

    private void startCluster() throws Exception {
        transports = new PlainTransports(t -> { }, "n1", "n2");
        long seed = 11;
        for (String raftId : VOTERS) {
            MemoryStorage storage = new MemoryStorage();
            RaftCore.bootstrap(storage, VOTERS);
            RaftCore core = new RaftCore(RaftConfig.defaults(raftId), storage, new SplittableRandom(seed++));
            ClusterState state = new ClusterState();
            RaftPeerBridge bridge = new RaftPeerBridge(transports.transport(raftId.substring(0, 2)), raftId, WAIT);
            RaftDriver driver = new RaftDriver(core, storage, state, bridge,
                    new RaftDriver.Settings(Duration.ofMillis(10), 10_000, 4096), System::nanoTime);
            bridge.attach(driver);
            bridges.add(bridge);
            nodes.put(raftId, new ClusterNode(driver, state, bridge));
            driver.start();
        }
    }

    private ClusterNode follower() {
        return await().atMost(WAIT).until(() -> nodes.values().stream()
                .filter(n -> n.driver().status().role() == Role.FOLLOWER && n.driver().status().leader() != null)
                .findFirst().orElse(null), n -> n != null);
    }

    @Test
    void aFollowersForwardedWritesAndReadsCompleteOffItsDriverThread() throws Exception {
        startCluster();
        ClusterNode follower = follower();
        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Command put = new Command.PutKey("k" + i, "v".getBytes(StandardCharsets.UTF_8), null, false);
            threads.add(follower.submit(put).thenApply(r -> {
                assertThat(r).isInstanceOf(CommandResult.Written.class);
                return Thread.currentThread().getName();
            }));
            threads.add(follower.linearizableRead().thenApply(v -> Thread.currentThread().getName()));
        }
        for (CompletableFuture<String> t : threads) {
            assertThat(t).succeedsWithin(WAIT).satisfies(name -> assertThat(name).doesNotStartWith("raft-driver"));
        }
        assertThat(follower.state().document("k39")).isNotNull();
    }
}
