package dev.ratchet.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.node.Replicator;
import dev.ratchet.state.Change;
import dev.ratchet.state.ChangeBatch;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.TxnOp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The keeper on fake time over a one-replica state: expiry goes through the log and deletes the keys. */
class LeaseKeeperTest {

    private final ClusterState state = new ClusterState();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicBoolean leads = new AtomicBoolean(true);
    private final Replicator replicator = new Replicator() {
        private long index;

        @Override
        public synchronized CompletableFuture<CommandResult> submit(Command command) {
            return CompletableFuture.completedFuture(state.apply(++index, command));
        }

        @Override
        public CompletableFuture<Void> linearizableRead() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ClusterState state() {
            return state;
        }
    };
    private final LeaseKeeper keeper = new LeaseKeeper(replicator, leads::get, nanos::get, Duration.ofSeconds(1));

    private long grant(long ttlMillis) {
        return ((CommandResult.LeaseGranted) replicator.submit(new Command.GrantLease(ttlMillis)).join()).leaseId();
    }

    private void putWithLease(String key, long lease) {
        replicator.submit(new Command.Txn(List.of(), List.of(new TxnOp.Put(key, new byte[] {1}, lease)), List.of())).join();
    }

    @Test
    void anExpiredLeaseDeletesItsKeysThroughTheLogAsExpiries() {
        keeper.tick(); // this node is seen to lead from now on
        long lease = grant(2_000);
        putWithLease("lock/a", lease);
        putWithLease("lock/b", lease);
        putWithLease("plain", 0);
        nanos.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertThat(keeper.tick()).isEmpty();
        assertThat(state.document("lock/a")).isNotNull();
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(keeper.tick()).containsExactly(lease);
        assertThat(state.document("lock/a")).isNull();
        assertThat(state.document("lock/b")).isNull();
        assertThat(state.document("plain")).isNotNull();
        assertThat(state.leases()).isEmpty();
        ChangeBatch last = state.history().read(state.history().head(), "", 10).batches().get(0);
        assertThat(last.changes()).extracting(Change::type).containsOnly(Change.Type.EXPIRE);
        assertThat(keeper.tick()).as("ended leases are not proposed again").isEmpty();
    }

    @Test
    void keepAlivesThroughTheLogKeepALeaseAlive() {
        keeper.tick();
        long lease = grant(1_000);
        putWithLease("k", lease);
        for (int i = 0; i < 10; i++) {
            nanos.addAndGet(Duration.ofMillis(900).toNanos());
            replicator.submit(new Command.KeepAliveLease(lease)).join();
            assertThat(keeper.tick()).isEmpty();
        }
        assertThat(state.document("k")).isNotNull();
    }

    @Test
    void aFollowerNeverExpiresAndANewLeaderGivesTheFullTtl() {
        leads.set(false);
        long lease = grant(1_000);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(keeper.tick()).isEmpty();
        leads.set(true);
        assertThat(keeper.tick()).as("just became leader").isEmpty();
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(keeper.tick()).isEmpty();
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(keeper.tick()).containsExactly(lease);
    }
}
