package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.StorageException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The driver's sync thread: queued syncs are coalesced into one force of the newest, and a force that throws
 * instead of keeping its failure (a bug, or an error no storage foresaw) is not lost: the driver learns it on
 * its next poll and stops, and no acknowledgement waiting for that sync leaves.
 */
class SyncWorkerTest {

    private final AtomicInteger wakeUps = new AtomicInteger();

    private static final class CountingSync implements DurableStorage.PendingSync {
        final AtomicInteger forces = new AtomicInteger();
        final RuntimeException thrown;

        CountingSync(RuntimeException thrown) {
            this.thrown = thrown;
        }

        @Override public void force() {
            forces.incrementAndGet();
            if (thrown != null) {
                throw thrown;
            }
        }

        @Override public boolean failed() {
            return false;
        }
    }

    @Test
    void aForceThatThrowsReachesTheDriverAsAStorageFailure() throws Exception {
        try (SyncWorker worker = new SyncWorker("n1", wakeUps::incrementAndGet, new DriverStats(), System::nanoTime)) {
            worker.start();
            worker.submit(new CountingSync(new IllegalStateException("channel gone")), 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakeUps.get() > 0);
            assertThatThrownBy(worker::pollForced).isInstanceOf(StorageException.class)
                    .hasMessageContaining("channel gone");
            assertThatThrownBy(() -> worker.awaitForced(TimeUnit.MILLISECONDS.toNanos(1)))
                    .isInstanceOf(StorageException.class);
        }
    }

    @Test
    void syncsQueuedBehindARunningForceAreCoalescedIntoOneForceOfTheNewest() throws Exception {
        CountingSync first = new CountingSync(null);
        CountingSync second = new CountingSync(null);
        CountingSync third = new CountingSync(null);
        try (SyncWorker worker = new SyncWorker("n1", wakeUps::incrementAndGet, new DriverStats(), System::nanoTime)) {
            worker.submit(first, 1);
            worker.submit(second, 1);
            worker.submit(third, 1);
            worker.start(); // all three are queued before the thread runs
            assertThat(worker.awaitForced(TimeUnit.SECONDS.toNanos(10))).isSameAs(third);
        }
        assertThat(first.forces.get() + second.forces.get()).isZero();
        assertThat(third.forces.get()).isEqualTo(1);
    }
}
