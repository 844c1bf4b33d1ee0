package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);
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
        RaftCore.bootstrap(storage, List.of("n1"));
        storage.forcedOn.clear(); // the bootstrap's own sync, on this thread
        RaftCore core = new RaftCore(RaftConfig.defaults("n1"), storage, new SplittableRandom(1));
        ClusterState state = new ClusterState();
        driver = new RaftDriver(core, storage, state, m -> { }, new RaftDriver.Settings(Duration.ofMillis(20), 10_000, 4096),
                System::nanoTime);
        ClusterNode node = new ClusterNode(driver, state, null);
        driver.start();
        await().atMost(WAIT).until(() -> driver.status().role() == Role.LEADER);

        // The tail only: a sync slowed by a cold JVM (class loading, a collection) may pipeline the first few.
        writes(node, 20);
        assertThat(storage.lastForces(5))
                .as("a fast disk: forced on the driver thread").allMatch(name -> name.startsWith("raft-driver-"));

        storage.delayMillis = 5;
        writes(node, 20);
        assertThat(storage.lastForces(5))
                .as("a slow disk: forced on the sync thread").allMatch(name -> name.startsWith("raft-sync-"));

        storage.delayMillis = 0;
        writes(node, 20);
        assertThat(storage.lastForces(5))
                .as("fast again: back on the driver thread").allMatch(name -> name.startsWith("raft-driver-"));
    }

    private static void writes(ClusterNode node, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            CompletableFuture<CommandResult> w = node.submit(new Command.PutKey("k/" + i, "v".getBytes(StandardCharsets.UTF_8),
                    null, false));
            assertThat(w.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(CommandResult.Written.class);
        }
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
