package dev.ratchet.watch;

import dev.ratchet.state.ChangeHistory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Serves watches and blocking reads of one node from its {@link ChangeHistory}. The history tells the
 * hub after every applied entry (on the applying thread); the hub only schedules work there, and all
 * sending happens on its own small sender pool, so a slow client never slows the state machine.
 *
 * <p>Thread-safe. {@link #close()} ends every watch and releases every blocking read.
 */
public final class WatchHub implements AutoCloseable {

    private final ChangeHistory history;
    private final WatchSettings settings;
    private final ExecutorService senders;
    private final ScheduledExecutorService timer;
    /**
     * Ends the streams of watchers cut off as stuck: ending one waits for its blocked write to give up.
     * Unbounded in threads but not in practice: each stuck write also holds one of the sender threads.
     */
    private final ExecutorService closers;
    private final LongSupplier nanoClock;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Set<BlockingWait> waits = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waitCount = new AtomicInteger();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();
    private final ScheduledFuture<?> progressTask;
    /** Frames of recent batches, shared by every watcher of a prefix (bounded: 4,096 revisions, 16 MiB). */
    private final EncodedBatches encoded = new EncodedBatches(4096, 16L << 20);

    /**
     * @param senderThreads threads that write to watch streams (a blocked client write holds one)
     */
    public WatchHub(ChangeHistory history, WatchSettings settings, int senderThreads, LongSupplier nanoClock) {
        this.history = history;
        this.settings = settings;
        this.nanoClock = nanoClock;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(senderThreads, r -> daemon(r, "watch-sender-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "watch-timer"));
        AtomicInteger c = new AtomicInteger();
        this.closers = Executors.newCachedThreadPool(r -> daemon(r, "watch-closer-" + c.incrementAndGet()));
        long every = settings.progressInterval().toMillis();
        this.progressTask = timer.scheduleWithFixedDelay(this::progressTick, every, every, TimeUnit.MILLISECONDS);
        history.addListener(this::applied);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens a watch of every change under {@code prefix} from {@code fromRevision} on. The caller has
     * already made sure this node is as current as it needs (a linearizable read, unless stale).
     *
     * @throws ChangeHistory.CompactedException if {@code fromRevision} has left the history
     * @throws WatchLimitException if the node serves {@link WatchSettings#maxWatchers()} watches already
     */
    public Watch open(String prefix, long fromRevision, EventSink sink) {
        if (fromRevision < history.firstCovered()) {
            history.read(fromRevision, prefix, 1);
        }
        Watch watch = new Watch(this, prefix, fromRevision, sink, nanoClock.getAsLong());
        synchronized (watches) {
            if (watches.size() >= settings.maxWatchers()) {
                throw new WatchLimitException("this node serves " + settings.maxWatchers()
                        + " watches already; retry later or use another node");
            }
            watches.add(watch);
        }
        // The first turn sends what the history already holds, or a progress event naming where it starts.
        watch.requestProgress();
        return watch;
    }

    /**
     * Completes with the node's applied revision once a change to {@code target} (a key, or every key
     * under it when {@code prefix}) is applied after {@code afterRevision}, or when {@code wait} runs out,
     * whichever is first. Completes at once if such a change is already in the history, or if
     * {@code afterRevision} left the history (the caller cannot be told what it missed, so it re-reads).
     *
     * @throws WatchLimitException if the node holds {@link WatchSettings#maxWaiters()} blocking reads already
     */
    public CompletableFuture<Long> awaitChange(String target, boolean prefix, long afterRevision, Duration wait) {
        BlockingWait w = new BlockingWait(target, prefix, afterRevision);
        if (w.check(history)) {
            return w.future;
        }
        if (waitCount.incrementAndGet() > settings.maxWaiters()) {
            waitCount.decrementAndGet();
            throw new WatchLimitException("this node holds " + settings.maxWaiters()
                    + " blocking reads already; retry later or use another node");
        }
        waits.add(w);
        ScheduledFuture<?> timeout = timer.schedule(() -> w.future.complete(history.head()), wait.toMillis(),
                TimeUnit.MILLISECONDS);
        w.future.whenComplete((r, e) -> {
            timeout.cancel(false);
            if (waits.remove(w)) {
                waitCount.decrementAndGet();
            }
        });
        // An append between the first check and the registration would otherwise be missed.
        w.check(history);
        return w.future;
    }

    /** Called on the applying thread after each entry: schedule, never send, here. */
    private void applied() {
        for (Watch w : watches) {
            w.schedule();
        }
        if (!waits.isEmpty()) {
            senders.execute(() -> waits.forEach(w -> w.check(history)));
        }
    }

    private void progressTick() {
        long now = nanoClock.getAsLong();
        long interval = settings.progressInterval().toNanos();
        for (Watch w : watches) {
            if (w.cutOffIfStuck(now)) {
                continue;
            }
            if (now - w.lastSendNanos() >= interval) {
                w.requestProgress();
            }
        }
    }

    void removed(Watch watch) {
        watches.remove(watch);
    }

    /** Ends {@code sink} on a closer thread; never blocks the caller. */
    void closeLater(EventSink sink) {
        try {
            closers.execute(sink::close);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            sink.close();
        }
    }

    ChangeHistory history() {
        return history;
    }

    WatchSettings settings() {
        return settings;
    }

    EncodedBatches encoded() {
        return encoded;
    }

    ExecutorService senders() {
        return senders;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    void countEvents(int n) {
        eventsSent.addAndGet(n);
    }

    void countCutOff() {
        cutOff.incrementAndGet();
    }

    /** Watches open now. */
    public int openWatches() {
        return watches.size();
    }

    /** Blocking reads waiting now. */
    public int waitingReads() {
        return waitCount.get();
    }

    /** Change events sent to watchers since start. */
    public long eventsSent() {
        return eventsSent.get();
    }

    /** Watchers cut off (a write blocked too long, or overtaken by the history's bound) since start. */
    public long watchersCutOff() {
        return cutOff.get();
    }

    @Override
    public void close() {
        progressTask.cancel(false);
        watches.forEach(Watch::close);
        waits.forEach(w -> w.future.complete(history.head()));
        senders.shutdown();
        timer.shutdown();
        closers.shutdown();
    }
}
