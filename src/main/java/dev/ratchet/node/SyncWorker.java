package dev.ratchet.node;

import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The driver's sync thread (issue 14): forces the storage syncs the Raft loop starts, so that the loop goes
 * on stepping acknowledgements, ticks and proposals while the disk works. Syncs queued behind a running
 * force are coalesced: forcing the newest covers every earlier one, so a slow disk costs one force per
 * round however many Readies it covers. Each forced sync is handed back through {@link #pollForced()} and
 * the loop is woken with the callback given.
 *
 * <p>A force is meant to keep its failure for {@link DurableStorage#finishSync}; one that throws instead (a
 * bug, or an error no storage foresaw) ends the worker, and every later poll throws it as a
 * {@link StorageException}, so the driver stops without acknowledging the writes that sync covered.
 *
 * <p>Threading: {@link #start}, {@link #submit}, {@link #pollForced()} and {@link #awaitForced} are called by
 * the driver thread, the force runs on this worker's own daemon thread. {@link #close()} waits up to 10 s for
 * the syncs queued before it, then gives up and returns (the thread is a daemon).
 */
final class SyncWorker implements AutoCloseable {

    private record Submitted(DurableStorage.PendingSync sync, int entries) { }

    private static final Submitted STOP = new Submitted(null, 0);

    private final LinkedBlockingQueue<Submitted> queue = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<DurableStorage.PendingSync> forced = new LinkedBlockingQueue<>();
    private final Runnable wakeDriver;
    private final DriverStats stats;
    private final LongSupplier nanoClock;
    private final Thread thread;
    /** What a force threw, if one did; the worker stopped then. */
    private volatile Throwable broken;

    /**
     * @param wakeDriver called after each force, on the worker thread; must not block
     */
    SyncWorker(String nodeId, Runnable wakeDriver, DriverStats stats, LongSupplier nanoClock) {
        this.wakeDriver = wakeDriver;
        this.stats = stats;
        this.nanoClock = nanoClock;
        this.thread = new Thread(this::run, "raft-sync-" + nodeId);
        thread.setDaemon(true);
    }

    /** Starts the worker thread; syncs submitted before wait for it. */
    void start() {
        thread.start();
    }

    /** Queues a sync to force; {@code entries} is how many entries it makes durable (for the metrics). */
    void submit(DurableStorage.PendingSync sync, int entries) {
        queue.add(new Submitted(sync, entries));
    }

    /**
     * The next sync whose force returned (or failed), or null. Never blocks.
     *
     * @throws StorageException if a force threw: the worker has stopped
     */
    DurableStorage.PendingSync pollForced() {
        throwIfBroken();
        return forced.poll();
    }

    /**
     * Waits up to {@code timeoutNanos} for a sync to be forced; returns it or null.
     *
     * @throws StorageException if a force threw: the worker has stopped
     */
    DurableStorage.PendingSync awaitForced(long timeoutNanos) throws InterruptedException {
        throwIfBroken();
        DurableStorage.PendingSync next = forced.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        throwIfBroken();
        return next;
    }

    private void throwIfBroken() {
        Throwable t = broken;
        if (t != null) {
            throw new StorageException("the sync thread stopped: " + t, t);
        }
    }

    private void run() {
        List<Submitted> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                Submitted newest = batch.get(batch.size() - 1);
                boolean stop = newest == STOP;
                if (stop) {
                    batch.remove(batch.size() - 1);
                    if (batch.isEmpty()) {
                        return;
                    }
                    newest = batch.get(batch.size() - 1);
                }
                int entries = 0;
                for (Submitted s : batch) {
                    entries += s.entries();
                }
                long start = nanoClock.getAsLong();
                try {
                    newest.sync().force();
                } catch (Throwable t) {
                    broken = t;
                    wakeDriver.run();
                    return;
                }
                if (!newest.sync().failed()) {
                    stats.recordSync(nanoClock.getAsLong() - start, entries);
                }
                batch.clear();
                forced.add(newest.sync());
                wakeDriver.run();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread after the syncs queued so far are forced; gives up waiting after 10 s. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
