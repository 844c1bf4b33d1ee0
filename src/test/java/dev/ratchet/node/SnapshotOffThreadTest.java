package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.Snapshot;
import java.time.Duration;
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

    private static final Duration WAIT = SingleVoter.WAIT;
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
        SingleVoter voter = SingleVoter.start(storage, 10, () -> { });
        driver = voter.driver();

        voter.writes(0, 15); // past the snapshot threshold of 10 entries
        await("a snapshot file is being written").atMost(WAIT).until(() -> storage.writing != null);
        assertThat(storage.writing).as("the writer's thread").startsWith("raft-snapshot-");
        CompletableFuture<Long> requested = driver.snapshotNow();
        voter.writes(15, 100);
        assertThat(storage.snapshotMetadata().index()).as("not adopted while its file is unwritten").isZero();
        assertThat(requested).isNotDone();

        diskAnswers.countDown();
        long index = requested.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(index).isGreaterThanOrEqualTo(10);
        assertThat(storage.snapshotMetadata().index()).isEqualTo(index);
        assertThat(driver.stats().snapshots()).isPositive();
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
