package dev.ratchet.node;

import dev.ratchet.node.DriverInbox.Task;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.Proposal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a node's {@link RaftCore}: it ticks the core from a monotonic clock, feeds it
 * messages and proposals, hands each {@link Ready} to a {@link ReadyHandler} (write, send, apply committed
 * entries to the {@link ClusterState}, take snapshots; the deterministic simulation runs the same handler),
 * and completes the futures of callers. A leader whose disk is slow does not wait for it: each Ready's sync
 * goes to a {@link SyncWorker} thread and comes back as an input, whose acknowledgements are sent then, so a
 * quorum of followers commits while the leader's disk works. A follower, and a leader whose last sync took
 * less than {@link #PIPELINE_SYNCS_ABOVE_NANOS}, force on this thread: the hand-offs would cost the commit
 * path more than the overlap gains.
 * It does wait at a WAL segment roll-over (the old segment is forced once), while a local snapshot's state is
 * encoded (its file is written by a {@link SnapshotWriter} beside the loop), for a barrier Ready (a snapshot install, a new term or vote) and when {@link #MAX_SYNCS_IN_FLIGHT} syncs
 * are outstanding.
 *
 * <p>Every public method is thread-safe and returns at once; work is queued for the driver thread on a
 * bounded inbox. A full inbox drops peer messages (Raft retransmits) and fails proposals fast. A storage
 * failure stops the driver: nothing that was not persisted is ever acknowledged, and every later request
 * fails with {@link NodeUnavailableException}.
 *
 * <p>Its bookkeeping lives in classes it owns, each saying which thread calls it: {@link DriverInbox},
 * {@link PendingProposals}, {@link ReadIndexBatcher} with {@link AppliedWaiters}, {@link LeadershipTransfers},
 * {@link SnapshotScheduler}, and {@link DriverApplication} (what the {@link ReadyHandler} applies to).
 */
public final class RaftDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);

    /**
     * @param tickInterval the wall-clock length of one Raft tick
     * @param snapshotEveryEntries take a snapshot after this many entries applied since the last one
     * @param inboxCapacity the bound on queued inputs
     */
    public record Settings(Duration tickInterval, long snapshotEveryEntries, int inboxCapacity) {
        public Settings {
            if (tickInterval.isNegative() || tickInterval.isZero()) {
                throw new IllegalArgumentException("tick interval must be positive");
            }
            if (snapshotEveryEntries < 1 || inboxCapacity < 16) {
                throw new IllegalArgumentException("snapshotEveryEntries >= 1 and inboxCapacity >= 16 required");
            }
        }
    }

    /**
     * A leadership transfer the core gave up: the target did not take over within an election timeout,
     * another transfer replaced it, or another node became leader. Retrying is safe.
     */
    public static final class TransferAbandonedException extends NodeUnavailableException {
        public TransferAbandonedException(String message) {
            super(message);
        }
    }

    private final String nodeId;
    private final RaftCore core;
    private final ReadyHandler handler;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final DriverStats stats = new DriverStats();
    private final DriverInbox inbox;
    private final Thread thread;
    private final SyncWorker syncs;

    private volatile boolean running;
    private volatile Throwable failure;
    private volatile Status status;
    private long proposalCounter;

    // Driver-thread state (see each class for who calls it).
    private final PendingProposals pendingProposals = new PendingProposals(stats);
    private final AppliedWaiters appliedWaiters = new AppliedWaiters();
    private final ReadIndexBatcher reads;
    private final LeadershipTransfers transfers;
    private final DriverApplication application;
    private final SnapshotScheduler snapshots;
    private final LeaderContactClock leaderContact = new LeaderContactClock();

    /**
     * Syncs submitted and not yet reported beyond which the loop waits for the disk (backpressure). The
     * worker coalesces queued syncs, so this many only build up behind a disk slower than the loop.
     */
    static final int MAX_SYNCS_IN_FLIGHT = 1024;

    /**
     * A leader hands its syncs to the sync thread once the last sync took at least this long, and forces them
     * on the driver thread again once one is faster: far above one fsync of a healthy local disk (0.2-0.6 ms
     * here) and far below the slow disks that stall a leader (tens of milliseconds).
     */
    static final long PIPELINE_SYNCS_ABOVE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    public RaftDriver(RaftCore core, DurableStorage storage, ClusterState state, PeerOutbox outbox, Settings settings,
            LongSupplier nanoClock) {
        this.nodeId = core.id();
        this.core = core;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.inbox = new DriverInbox(settings.inboxCapacity());
        this.reads = new ReadIndexBatcher(nodeId, appliedWaiters, this::appliedIndex);
        this.transfers = new LeadershipTransfers(nodeId);
        this.application = new DriverApplication(nodeId, core, state, stats, pendingProposals, reads, transfers);
        this.handler = new ReadyHandler(core, storage, outbox, application);
        application.started(handler.appliedIndex());
        this.snapshots = new SnapshotScheduler(nodeId, handler,
                new SnapshotWriter(nodeId, storage, this::wake),
                settings.snapshotEveryEntries(), nanoClock, stats);
        this.status = core.status();
        this.thread = new Thread(this::run, "raft-driver-" + nodeId);
        this.thread.setDaemon(false);
        this.syncs = new SyncWorker(nodeId, this::wake, stats, nanoClock);
    }

    public void start() {
        running = true;
        syncs.start();
        thread.start();
    }

    public String nodeId() {
        return nodeId;
    }

    /** The latest status of the core, published by the driver thread. */
    public Status status() {
        return status;
    }

    public long appliedIndex() {
        return application.appliedIndex();
    }

    public DriverStats stats() {
        return stats;
    }

    /** True while the driver thread runs; false after a storage failure or close. */
    public boolean isAlive() {
        return running && thread.isAlive();
    }

    /** Why the driver stopped, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Hands a peer's message to the core; dropped (and counted) if the inbox is full. */
    public void receive(Message message) {
        if (!running || !inbox.offer(new Task(c -> stepSafely(c, message), null))) {
            stats.inboxDrops.increment();
        }
    }

    private void stepSafely(RaftCore c, Message message) {
        long gap = leaderContact.stepped(message, nanoClock.getAsLong());
        if (gap >= 0) {
            stats.recordLeaderContactGap(gap);
        }
        try {
            c.step(message);
        } catch (IllegalArgumentException e) {
            // A malformed or misaddressed peer message is that peer's problem, not a reason to stop.
            stats.inboxDrops.increment();
            log.warn("{} dropped a message from {}: {}", nodeId, message.from(), e.getMessage());
        }
    }

    /**
     * Proposes an encoded proposal; completes once applied here, or fails with {@link NotLeaderException},
     * {@link ProposalLostException} (overwritten by another leader), or {@link NodeUnavailableException}.
     */
    public CompletableFuture<AppliedEntry> propose(Proposal proposal) {
        byte[] data = CommandCodec.encode(proposal);
        CompletableFuture<AppliedEntry> future = new CompletableFuture<>();
        enqueue(future, c -> {
            long index = c.propose(data);
            pendingProposals.track(index, c.term(), future);
            stats.proposals.increment();
        });
        return future;
    }

    /**
     * Proposes several encoded proposals in one step of the driver thread (one inbox slot, one Ready for
     * all of them): a follower's forwarded batch. Each future completes as {@link #propose}'s would; one
     * failing (say, dropped by the core) does not stop the others.
     */
    public List<CompletableFuture<AppliedEntry>> proposeAll(List<Proposal> proposals) {
        List<byte[]> data = new ArrayList<>(proposals.size());
        List<CompletableFuture<AppliedEntry>> futures = new ArrayList<>(proposals.size());
        for (Proposal p : proposals) {
            data.add(CommandCodec.encode(p));
            futures.add(new CompletableFuture<>());
        }
        // Fails every item if the batch never reaches the core (inbox full, node stopping).
        CompletableFuture<Void> batch = new CompletableFuture<>();
        batch.whenComplete((v, e) -> {
            if (e != null) {
                futures.forEach(f -> f.completeExceptionally(e));
            }
        });
        enqueue(batch, c -> {
            for (int i = 0; i < data.size(); i++) {
                CompletableFuture<AppliedEntry> future = futures.get(i);
                try {
                    long index = c.propose(data.get(i));
                    pendingProposals.track(index, c.term(), future);
                    stats.proposals.increment();
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
            batch.complete(null);
        });
        return futures;
    }

    /** Proposes a membership change; completes once it is applied here. */
    public CompletableFuture<AppliedEntry> proposeConfChange(ConfChange change) {
        CompletableFuture<AppliedEntry> future = new CompletableFuture<>();
        enqueue(future, c -> {
            long index = c.proposeConfChange(change);
            pendingProposals.track(index, c.term(), future);
        });
        return future;
    }

    /** A fresh id for {@link Proposal#requestId()}, unique on this node. */
    public synchronized long nextRequestId() {
        return ++proposalCounter;
    }

    /**
     * On the leader: completes with a read index once leadership is confirmed by a heartbeat round and
     * this node has applied up to that index. Concurrent reads share one round.
     */
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(future, c -> {
            if (c.role() != Role.LEADER) {
                throw new NotLeaderException(nodeId, c.leader());
            }
            reads.add(future);
        });
        return future;
    }

    /** Completes once this node has applied {@code index} (with the applied index at that moment). */
    public CompletableFuture<Long> waitApplied(long index) {
        long applied = appliedIndex();
        if (applied >= index) {
            return CompletableFuture.completedFuture(applied);
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(future, c -> appliedWaiters.whenApplied(index, appliedIndex(), future));
        return future;
    }

    /**
     * Hands leadership to {@code target}; completes with the target's id once it leads (at once if this
     * node leads and is the target), or fails with {@link TransferAbandonedException} when the core gives
     * the transfer up (the target did not take over within an election timeout, a later transfer replaced
     * it, or another node won the election), with {@link NotLeaderException} if this node does not lead.
     */
    public CompletableFuture<String> transferLeadership(String target) {
        CompletableFuture<String> future = new CompletableFuture<>();
        enqueue(future, c -> {
            if (target.equals(nodeId) && c.role() == Role.LEADER) {
                future.complete(nodeId);
                return;
            }
            c.transferLeadership(target);
            transfers.add(target, future);
        });
        return future;
    }

    /**
     * Takes a snapshot of the applied state now (an operator's request before a backup or an upgrade);
     * completes with the snapshot's index, which is the previous snapshot's when nothing was applied since.
     */
    public CompletableFuture<Long> snapshotNow() {
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(future, c -> snapshots.request(future));
        return future;
    }

    private void enqueue(CompletableFuture<?> future, Consumer<RaftCore> task) {
        if (!running) {
            future.completeExceptionally(unavailable());
            return;
        }
        Consumer<RaftCore> guarded = c -> {
            try {
                task.accept(c);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        };
        if (!inbox.offer(new Task(guarded, future))) {
            stats.inboxDrops.increment();
            future.completeExceptionally(new NodeUnavailableException("node overloaded: request queue is full"));
        } else if (!running) {
            // The driver may have drained its inbox for the last time between our check and the offer.
            future.completeExceptionally(unavailable());
        }
    }

    private NodeUnavailableException unavailable() {
        Throwable f = failure;
        return f == null ? new NodeUnavailableException("node is not running")
                : new NodeUnavailableException("node stopped after a storage failure: " + f.getMessage(), f);
    }

    private void run() {
        long tickNanos = settings.tickInterval().toNanos();
        long nextTick = nanoClock.getAsLong() + tickNanos;
        List<Task> batch = new ArrayList<>(256);
        long loggedTerm = -1;
        Role loggedRole = null;
        try {
            while (running) {
                long wait = nextTick - nanoClock.getAsLong();
                Task first = inbox.poll(wait);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, 1023);
                    for (Task task : batch) {
                        task.action().accept(core);
                    }
                    batch.clear();
                }
                long now = nanoClock.getAsLong();
                if (now - nextTick >= 0) {
                    core.tick();
                    // After a long pause (GC, suspended VM) do not fire a burst of ticks: resynchronise.
                    nextTick = Math.max(nextTick + tickNanos, now);
                }
                reads.startQueued(core);
                handleReadies();
                snapshots.maybeSnapshot();
                status = core.status();
                if (status.term() != loggedTerm || status.role() != loggedRole) {
                    // Only on a change: the loop runs every heartbeat interval or faster.
                    loggedTerm = status.term();
                    loggedRole = status.role();
                    LogContext.put(nodeId, loggedTerm, loggedRole);
                }
                transfers.failAbandoned(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            log.error("Raft driver of {} stopped: {}", nodeId, t.toString(), t);
        } finally {
            running = false;
            failEverything();
        }
    }

    /** Handles every Ready the core has and every sync the worker forced meanwhile, until neither is left. */
    private void handleReadies() throws InterruptedException {
        boolean more = true;
        while (more) {
            while (core.hasReady()) {
                handle(core.ready());
            }
            more = false;
            DurableStorage.PendingSync forced;
            while ((forced = syncs.pollForced()) != null) {
                handler.synced(forced);
                more = true;
            }
            if (handler.syncsInFlight() >= MAX_SYNCS_IN_FLIGHT) {
                // The disk is far behind: stop taking work until it catches up a little.
                forced = syncs.awaitForced(TimeUnit.SECONDS.toNanos(1));
                if (forced != null) {
                    handler.synced(forced);
                }
                more = true;
            }
        }
        appliedWaiters.release(appliedIndex());
    }

    private void handle(Ready rd) {
        DurableStorage.PendingSync pending = handler.submit(rd);
        if (pending != null) {
            if (core.role() == Role.LEADER && stats.lastSyncNanos.get() >= PIPELINE_SYNCS_ABOVE_NANOS) {
                syncs.submit(pending, rd.entries().size());
            } else {
                // A follower's acknowledgements wait for its sync whoever forces it, and the leader is waiting
                // for them; a leader whose disk answers fast loses more to the hand-offs and the smaller batches
                // than it gains from going on meanwhile (measured on two cores: 10-16% of throughput, 18% more
                // CPU per write). Only a leader with a slow disk pipelines.
                long start = nanoClock.getAsLong();
                pending.force();
                if (!pending.failed()) {
                    stats.recordSync(nanoClock.getAsLong() - start, rd.entries().size());
                }
                handler.synced(pending);
            }
        }
        // Committed entries were applied by submit, durable here or not: their waiters go now.
        appliedWaiters.release(appliedIndex());
    }

    private void failEverything() {
        NodeUnavailableException e = unavailable();
        OutcomeUnknownException unknown = new OutcomeUnknownException(
                "the node stopped before the write was applied here; it may still commit: " + e.getMessage());
        pendingProposals.failAll(unknown);
        reads.failAll(e);
        appliedWaiters.failAll(e);
        transfers.failAll(e);
        snapshots.failAll(e);
        inbox.failQueued(e);
    }

    /**
     * Wakes the loop with an empty task so it looks at what other threads finished (syncs, snapshot files) or
     * at {@code running}. Any thread; never blocks. A wake-up that finds the inbox full is not needed: the
     * loop is busy and drains those anyway.
     */
    private void wake() {
        inbox.offer(new Task(c -> { }, null));
    }

    /** Stops the driver thread and fails every outstanding request. Does not close the storage. */
    @Override
    public void close() {
        running = false;
        // Wake the loop rather than interrupt it: an interrupt during a WAL write or fsync closes the
        // file channel (ClosedByInterruptException) and turns a clean stop into a storage failure.
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the loop, so no sync is submitted after STOP. It waits (up to 10 s) for a force still
        // running; one that outlives that meets a closed channel and fails harmlessly, nobody reads it.
        syncs.close();
        snapshots.close();
    }
}
