package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real drivers (threads, real cores, in-memory storage) wired by an in-process network: checks the
 * driver's persist-send-apply loop, forwarding from followers, read index and leader failover without
 * sockets. The socket and TLS paths are covered by the multi-process tests.
 */
class InProcessClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);
    private final Map<String, ClusterNode> nodes = new ConcurrentHashMap<>();
    /** Nodes cut off from everyone: messages from and to them are dropped. */
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();

    private ClusterNode start(String id, List<String> voters, long seed) {
        MemoryStorage storage = new MemoryStorage();
        RaftCore.bootstrap(storage, voters);
        RaftCore core = new RaftCore(RaftConfig.defaults(id), storage, new SplittableRandom(seed));
        ClusterState state = new ClusterState();
        PeerOutbox outbox = (Message m) -> {
            ClusterNode target = nodes.get(m.to());
            if (target != null && !isolated.contains(m.to()) && !isolated.contains(m.from())) {
                target.driver().receive(m);
            }
        };
        LeaderChannel channel = new LeaderChannel() {
            @Override
            public CompletableFuture<CommandResultCodec.Applied> forwardProposal(String leaderId, Proposal proposal) {
                ClusterNode leader = nodes.get(leaderId);
                if (leader == null) {
                    return CompletableFuture.failedFuture(new NoLeaderException("gone"));
                }
                return leader.driver().propose(proposal).thenApply(a -> new CommandResultCodec.Applied(a.index(), a.result()));
            }

            @Override
            public CompletableFuture<Long> forwardReadIndex(String leaderId) {
                ClusterNode leader = nodes.get(leaderId);
                return leader == null ? CompletableFuture.failedFuture(new NoLeaderException("gone")) : leader.driver().readIndex();
            }
        };
        RaftDriver driver = new RaftDriver(core, storage, state,  outbox,
                new RaftDriver.Settings(Duration.ofMillis(20), 50, 4096), System::nanoTime);
        ClusterNode node = new ClusterNode(driver, state, channel);
        nodes.put(id, node);
        driver.start();
        return node;
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(n -> n.driver().close());
    }

    private ClusterNode awaitLeader() {
        return await().atMost(WAIT).until(() -> nodes.values().stream()
                .filter(n -> n.driver().isAlive() && n.driver().status().role() == Role.LEADER).findFirst().orElse(null),
                n -> n != null);
    }

    private static Command put(String key, String value) {
        return new Command.PutKey(key, value.getBytes(StandardCharsets.UTF_8), null, false);
    }

    @Test
    void writesThroughEveryNodeAreReadEverywhereAndSurviveALeaderLoss() throws Exception {
        List<String> ids = List.of("n1", "n2", "n3");
        for (int i = 0; i < ids.size(); i++) {
            start(ids.get(i), ids, 1000 + i);
        }
        awaitLeader();
        // Enough writes through every node to cross the snapshot threshold (50) several times.
        for (int round = 0; round < 40; round++) {
            for (String id : ids) {
                CommandResult r = nodes.get(id).submit(put("k/" + id + "/" + round, "v" + round)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(r).isInstanceOf(CommandResult.Written.class);
            }
        }
        for (String id : ids) {
            nodes.get(id).linearizableRead().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(nodes.get(id).state().documentStats()[0]).isEqualTo(120);
        }

        ClusterNode oldLeader = awaitLeader();
        oldLeader.driver().close();
        nodes.remove(oldLeader.driver().nodeId());
        ClusterNode newLeader = awaitLeader();
        assertThat(newLeader).isNotSameAs(oldLeader);
        for (ClusterNode n : nodes.values()) {
            await().atMost(WAIT).ignoreExceptions().until(() -> n.submit(put("after", n.driver().nodeId()))
                    .get(5, TimeUnit.SECONDS) instanceof CommandResult.Written);
        }
        for (ClusterNode n : nodes.values()) {
            n.linearizableRead().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(n.state().document("k/n1/39")).isNotNull();
            assertThat(n.state().document("after")).isNotNull();
        }
        assertThat(newLeader.driver().stats().snapshots()).isPositive();
    }

    @Test
    void aLoneNodeOfThreeHasNoLeaderAndSaysSo() {
        ClusterNode alone = start("solo", List.of("solo", "x", "y"), 7);
        CompletableFuture<CommandResult> write = alone.submit(put("k", "v"));
        assertThat(write).failsWithin(WAIT).withThrowableThat().havingRootCause().isInstanceOf(NoLeaderException.class);
    }

    @Test
    void aLeadershipTransferTheCoreAbandonsFailsItsFutureInsteadOfHanging() {
        List<String> ids = List.of("n1", "n2", "n3");
        for (int i = 0; i < ids.size(); i++) {
            start(ids.get(i), ids, 2000 + i);
        }
        ClusterNode leader = awaitLeader();
        String target = ids.stream().filter(id -> !id.equals(leader.driver().nodeId())).findFirst().orElseThrow();
        isolated.add(target);
        // The target never hears TimeoutNow, so the core drops the transfer after an election timeout
        // (10 ticks of 20 ms) while it still leads: the future must say so, not wait for the caller's timeout.
        CompletableFuture<String> transfer = leader.driver().transferLeadership(target);
        assertThat(transfer).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOf(RaftDriver.TransferAbandonedException.class)
                .withMessageContaining(target).withMessageContaining("abandoned");
        assertThat(leader.driver().status().role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aTransferToTheLeaderItselfCompletesAtOnce() throws Exception {
        List<String> ids = List.of("n1", "n2", "n3");
        for (int i = 0; i < ids.size(); i++) {
            start(ids.get(i), ids, 3000 + i);
        }
        ClusterNode leader = awaitLeader();
        String self = leader.driver().nodeId();
        assertThat(leader.driver().transferLeadership(self).get(10, TimeUnit.SECONDS)).isEqualTo(self);
    }

    @Test
    void everyNodeLogsEachMembershipChangeWithItsRaftContext() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RaftDriver.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            List<String> ids = List.of("n1", "n2", "n3");
            for (int i = 0; i < ids.size(); i++) {
                start(ids.get(i), ids, 2000 + i);
            }
            ClusterNode leader = awaitLeader();
            // A new leader refuses membership changes until its no-op has committed (issue 12's fix 3).
            await().atMost(WAIT).until(() -> leader.driver().status().commit() >= leader.driver().status().lastIndex());
            long index = leader.driver().proposeConfChange(new dev.ratchet.raft.ConfChange(
                    dev.ratchet.raft.ConfChange.Type.ADD_LEARNER, "n4")).get(WAIT.toSeconds(), TimeUnit.SECONDS).index();
            await().atMost(WAIT).untilAsserted(() -> {
                List<ch.qos.logback.classic.spi.ILoggingEvent> lines;
                synchronized (captured) {
                    lines = List.copyOf(captured.list);
                }
                for (String id : ids) {
                    assertThat(lines).anySatisfy(e -> {
                        assertThat(e.getFormattedMessage())
                                .isEqualTo(id + " applied membership change at index " + index + ": add learner n4");
                        // Logged on the driver thread, which carries the node's id, term and role.
                        assertThat(e.getMDCPropertyMap()).containsEntry("node", id).containsKeys("term", "role");
                    });
                }
            });
        } finally {
            logger.detachAppender(captured);
        }
    }
}
