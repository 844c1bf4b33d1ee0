package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real driver thread over a one-voter cluster (it leads at once) and a storage the test controls, for tests
 * of what the driver does with its storage. Close the driver after the test.
 */
record SingleVoter(RaftDriver driver, ClusterNode node) {

    static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);

    /**
     * Bootstraps {@code storage} as the one voter n1, starts a driver that snapshots every
     * {@code snapshotEveryEntries} entries, and waits until it leads.
     *
     * @param afterBootstrap run once the bootstrap wrote to the storage, before the driver exists
     */
    static SingleVoter start(DurableStorage storage, long snapshotEveryEntries, Runnable afterBootstrap) {
        RaftCore.bootstrap(storage, List.of("n1"));
        afterBootstrap.run();
        RaftCore core = new RaftCore(RaftConfig.defaults("n1"), storage, new SplittableRandom(1));
        ClusterState state = new ClusterState();
        RaftDriver driver = new RaftDriver(core, storage, state, m -> { },
                new RaftDriver.Settings(Duration.ofMillis(20), snapshotEveryEntries, 4096), System::nanoTime);
        ClusterNode node = new ClusterNode(driver, state, null);
        driver.start();
        await().atMost(WAIT).until(() -> driver.status().role() == Role.LEADER);
        return new SingleVoter(driver, node);
    }

    /** Writes keys {@code k/from} to {@code k/(to - 1)} one after another; each must be written. Blocks. */
    void writes(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            CompletableFuture<CommandResult> w = node.submit(new Command.PutKey("k/" + i,
                    "v".getBytes(StandardCharsets.UTF_8), null, false));
            assertThat(w.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(CommandResult.Written.class);
        }
    }
}
