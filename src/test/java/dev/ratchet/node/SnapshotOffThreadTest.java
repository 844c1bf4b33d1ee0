package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A local snapshot's file is written beside the Raft loop (issue 14): while the write hangs (a slow disk),
 * the driver goes on committing writes and ticking; the snapshot is adopted once the write returns, and an
 * operator's snapshot request is answered then with its index.
 */
class SnapshotOffThreadTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);
    private RaftDriver driver;
    private final CountDownLatch diskAnswers = new CountDownLatch(1);

    @AfterEach
    void stop() {
        diskAnswers.countDown();
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void theLoopCommitsWritesWhileASnapshotFileIsBeingWritten() throws Exception {
        HangingSnapshotStorage storage = new HangingSnapshotStorage(diskAnswers);
        RaftCore.bootstrap(storage, List.of("n1"));
        RaftCore core = new RaftCore(RaftConfig.defaults("n1"), storage, new SplittableRandom(1));
        ClusterState state = new ClusterState();
        driver = new RaftDriver(core, storage, state, m -> { }, new RaftDriver.Settings(Duration.ofMillis(20), 10, 4096),
                System::nanoTime);
        ClusterNode node = new ClusterNode(driver, state, null);
        driver.start();
        await().atMost(WAIT).until(() -> driver.status().role() == Role.LEADER);

        writes(node, 0, 15); // past the snapshot threshold of 10 entries
        await("a snapshot file is being written").atMost(WAIT).until(() -> storage.writing != null);
        assertThat(storage.writing).as("the writer's thread").startsWith("raft-snapshot-");
        CompletableFuture<Long> requested = driver.snapshotNow();
        writes(node, 15, 100);
        assertThat(storage.snapshotMetadata().index()).as("not adopted while its file is unwritten").isZero();
        assertThat(requested).isNotDone();

        diskAnswers.countDown();
        long index = requested.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(index).isGreaterThanOrEqualTo(10);
        assertThat(storage.snapshotMetadata().index()).isEqualTo(index);
        assertThat(driver.stats().snapshots()).isPositive();
    }

    private static void writes(ClusterNode node, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            CompletableFuture<CommandResult> w = node.submit(new Command.PutKey("k/" + i, "v".getBytes(StandardCharsets.UTF_8),
                    null, false));
            assertThat(w.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(CommandResult.Written.class);
        }
    }

    /** Memory storage whose snapshot file writes wait until the test lets the disk answer. */
    private static final class HangingSnapshotStorage extends ForwardingStorage {
        private final CountDownLatch answers;
        volatile String writing;

        HangingSnapshotStorage(CountDownLatch answers) {
            this.answers = answers;
        }

        @Override
        public void writeSnapshotFile(Snapshot snapshot) {
            writing = Thread.currentThread().getName();
            try {
                answers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.writeSnapshotFile(snapshot);
        }
    }
}
