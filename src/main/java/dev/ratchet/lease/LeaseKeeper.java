package dev.ratchet.lease;

import dev.ratchet.node.Replicator;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node's {@link LeaseExpiry}: feeds it the lease events the state applies and the node's
 * leadership, and on every {@link #tick()} proposes {@link Command.RevokeLease} (expired) for each due
 * lease. Time comes from the injected monotonic clock; {@link #start} ticks on its own thread, tests call
 * {@link #tick()} themselves. Thread-safe.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Replicator replicator;
    private final BooleanSupplier leads;
    private final LongSupplier nanoClock;
    private final LeaseExpiry expiry;
    private ScheduledExecutorService timer;

    /**
     * @param leads whether this node leads right now (read on every tick)
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public LeaseKeeper(Replicator replicator, BooleanSupplier leads, LongSupplier nanoClock, Duration retry) {
        this.replicator = replicator;
        this.leads = leads;
        this.nanoClock = nanoClock;
        this.expiry = new LeaseExpiry(retry.toNanos());
        ClusterState state = replicator.state();
        state.addLeaseListener(new ClusterState.LeaseListener() {
            @Override
            public void granted(long leaseId, long ttlMillis) {
                expiry.started(leaseId, ttlMillis, nanoClock.getAsLong());
            }

            @Override
            public void keptAlive(long leaseId, long ttlMillis) {
                expiry.started(leaseId, ttlMillis, nanoClock.getAsLong());
            }

            @Override
            public void ended(long leaseId) {
                expiry.ended(leaseId);
            }

            @Override
            public void restored(List<Lease> leases) {
                expiry.restored(leases, nanoClock.getAsLong());
            }
        });
        // Leases applied before this keeper existed (replayed from the log or a snapshot at start).
        expiry.restored(state.leases(), nanoClock.getAsLong());
    }

    /** Ticks every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-keeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tickSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("lease expiry tick failed; retrying on the next one", e);
        }
    }

    /** Updates leadership and proposes the end of every due lease. Returns the ids proposed. */
    public List<Long> tick() {
        long now = nanoClock.getAsLong();
        expiry.leadership(leads.getAsBoolean(), now);
        List<Long> due = expiry.due(now);
        for (long id : due) {
            replicator.submit(new Command.RevokeLease(id, true)).whenComplete((r, e) -> {
                if (e != null) {
                    log.info("expiring lease {} did not go through ({}); will retry", id, e.toString());
                }
            });
        }
        return due;
    }

    /** Milliseconds left on a lease as this node counts them (-1 if unknown); exact only on the leader. */
    public long remainingMillis(long leaseId) {
        long n = expiry.remainingNanos(leaseId, nanoClock.getAsLong());
        return n < 0 ? -1 : n / 1_000_000L;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
