package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a leader forces its syncs: on the driver thread while its disk answers within
 * {@link RaftDriver#PIPELINE_SYNCS_ABOVE_NANOS}, on the sync thread once a sync takes longer (so that a
 * quorum of followers commits while the leader's disk works), and back on the driver thread when the disk
 * is fast again.
 */
class SyncModeTest {

    private RaftDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aLeaderPipelinesItsSyncsOnlyWhileItsDiskIsSlow() throws Exception {
        SlowForceStorage storage = new SlowForceStorage();
        // Cleared after the bootstrap: its own sync runs on this thread.
        SingleVoter voter = SingleVoter.start(storage, 10_000, storage.forcedOn::clear);
        driver = voter.driver();

        // The tail only: a sync slowed by a cold JVM (class loading, a collection) may pipeline the first few.
        voter.writes(0, 20);
        assertThat(storage.lastForces(5))
                .as("a fast disk: forced on the driver thread").allMatch(name -> name.startsWith("raft-driver-"));

        storage.delayMillis = 5;
        voter.writes(0, 20);
        assertThat(storage.lastForces(5))
                .as("a slow disk: forced on the sync thread").allMatch(name -> name.startsWith("raft-sync-"));

        storage.delayMillis = 0;
        voter.writes(0, 20);
        assertThat(storage.lastForces(5))
                .as("fast again: back on the driver thread").allMatch(name -> name.startsWith("raft-driver-"));
    }

    /** In-memory storage whose forces take {@link #delayMillis} and record the thread that ran them. */
    private static final class SlowForceStorage extends ForwardingStorage {
        final List<String> forcedOn = new CopyOnWriteArrayList<>();
        volatile long delayMillis;

        /** The threads of the last {@code n} forces (more may be running meanwhile). */
        List<String> lastForces(int n) {
            List<String> all = List.copyOf(forcedOn);
            return all.subList(Math.max(0, all.size() - n), all.size());
        }

        private record Slow(PendingSync inner, SlowForceStorage storage) implements PendingSync {
            @Override
            public void force() {
                storage.forcedOn.add(Thread.currentThread().getName());
                long delay = storage.delayMillis;
                if (delay > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay)); // the slow disk itself
                }
                inner.force();
            }

            @Override
            public boolean failed() {
                return inner.failed();
            }
        }

        @Override
        public PendingSync startSync() {
            return new Slow(super.startSync(), this);
        }

        @Override
        public void finishSync(PendingSync pending) {
            super.finishSync(((Slow) pending).inner());
        }
    }
}
