package dev.ratchet.node;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SoftState;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Proposal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a node's {@link RaftCore}: it ticks the core from a monotonic clock, feeds it
 * messages and proposals, hands each {@link Ready} to a {@link ReadyHandler} (persist with a single sync,
 * send, apply committed entries to the {@link ClusterState}, take snapshots; the deterministic simulation
 * runs the same handler), and completes the futures of callers.
 *
 * <p>Every public method is thread-safe and returns at once; work is queued for the driver thread on a
 * bounded inbox. A full inbox drops peer messages (Raft retransmits) and fails proposals fast. A storage
 * failure stops the driver: nothing that was not persisted is ever acknowledged, and every later request
 * fails with {@link NodeUnavailableException}.
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

    private record Pending(long term, CompletableFuture<AppliedEntry> future) {
    }

    private record Transfer(String target, CompletableFuture<String> future) {
    }

    /** Work for the driver thread; {@code future} (null for peer messages) fails if the node stops first. */
    private record Task(Consumer<RaftCore> action, CompletableFuture<?> future) {
    }

    private final String nodeId;
    private final RaftCore core;
    private final ClusterState state;
    private final ReadyHandler handler;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final DriverStats stats = new DriverStats();
    private final BlockingQueue<Task> inbox;
    private final Thread thread;

    private volatile boolean running;
    private volatile Throwable failure;
    private volatile Status status;
    private volatile long applied;

    // Driver-thread state.
    private final Map<Long, Pending> pendingProposals = new HashMap<>();
    private final List<CompletableFuture<Long>> readsToStart = new ArrayList<>();
    private final Map<Long, List<CompletableFuture<Long>>> readsInFlight = new HashMap<>();
    private final TreeMap<Long, List<CompletableFuture<Long>>> appliedWaiters = new TreeMap<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final List<CompletableFuture<Long>> snapshotRequests = new ArrayList<>();
    private long nextReadId;
    private long proposalCounter;

    public RaftDriver(RaftCore core, DurableStorage storage, ClusterState state, PeerOutbox outbox, Settings settings,
            LongSupplier nanoClock) {
        this.nodeId = core.id();
        this.core = core;
        this.state = state;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.inbox = new ArrayBlockingQueue<>(settings.inboxCapacity());
        AppliedState appliedState = new AppliedState();
        this.handler = new ReadyHandler(core, storage, outbox, appliedState);
        appliedState.started = true;
        this.applied = handler.appliedIndex();
        this.status = core.status();
        this.thread = new Thread(this::run, "raft-driver-" + nodeId);
        this.thread.setDaemon(false);
    }

    public void start() {
        running = true;
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
        return applied;
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
            failReplaced(pendingProposals.put(index, new Pending(c.term(), future)), index);
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
                    failReplaced(pendingProposals.put(index, new Pending(c.term(), future)), index);
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
            failReplaced(pendingProposals.put(index, new Pending(c.term(), future)), index);
        });
        return future;
    }

    /** A proposal whose log slot was reused (after a snapshot install reset the log) was never applied. */
    private static void failReplaced(Pending replaced, long index) {
        if (replaced != null) {
            replaced.future().completeExceptionally(new ProposalLostException(index));
        }
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
            readsToStart.add(future);
        });
        return future;
    }

    /** Completes once this node has applied {@code index} (with the applied index at that moment). */
    public CompletableFuture<Long> waitApplied(long index) {
        if (applied >= index) {
            return CompletableFuture.completedFuture(applied);
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(future, c -> {
            if (applied >= index) {
                future.complete(applied);
            } else {
                appliedWaiters.computeIfAbsent(index, k -> new ArrayList<>()).add(future);
            }
        });
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
            transfers.add(new Transfer(target, future));
        });
        return future;
    }

    /**
     * Takes a snapshot of the applied state now (an operator's request before a backup or an upgrade);
     * completes with the snapshot's index, which is the previous snapshot's when nothing was applied since.
     */
    public CompletableFuture<Long> snapshotNow() {
        CompletableFuture<Long> future = new CompletableFuture<>();
        enqueue(future, c -> snapshotRequests.add(future));
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
                Task first = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
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
                startReads();
                while (core.hasReady()) {
                    handle(core.ready());
                }
                maybeSnapshot();
                status = core.status();
                if (status.term() != loggedTerm || status.role() != loggedRole) {
                    // Only on a change: the loop runs every heartbeat interval or faster.
                    loggedTerm = status.term();
                    loggedRole = status.role();
                    LogContext.put(nodeId, loggedTerm, loggedRole);
                }
                failAbandonedTransfers(status);
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

    private void startReads() {
        if (readsToStart.isEmpty()) {
            return;
        }
        List<CompletableFuture<Long>> group = new ArrayList<>(readsToStart);
        readsToStart.clear();
        if (core.role() != Role.LEADER) {
            group.forEach(f -> f.completeExceptionally(new NotLeaderException(nodeId, core.leader())));
            return;
        }
        long id = ++nextReadId;
        try {
            core.readIndex(id);
        } catch (RuntimeException e) {
            group.forEach(f -> f.completeExceptionally(new NodeUnavailableException("read refused: " + e.getMessage())));
            return;
        }
        readsInFlight.put(id, group);
    }

    private void handle(Ready rd) {
        long start = nanoClock.getAsLong();
        handler.persist(rd);
        handler.sync();
        if (rd.mustPersist()) {
            stats.recordSync(nanoClock.getAsLong() - start, rd.entries().size());
        }
        handler.complete();
        completeAppliedWaiters();
    }

    /** What the handler applies to: the cluster state, plus the bookkeeping of this node's callers. */
    private final class AppliedState implements ReadyHandler.Application {

        /** False only while the handler restores this node's own snapshot at start; later ones came from a leader. */
        private boolean started;

        @Override
        public void restore(Snapshot snapshot) {
            long index = snapshot.metadata().index();
            state.restore(snapshot.data());
            applied = index;
            // Proposals folded into a snapshot we did not apply one by one: their result is unknown here.
            Iterator<Map.Entry<Long, Pending>> it = pendingProposals.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Pending> p = it.next();
                if (p.getKey() <= index) {
                    stats.proposalsFailed.increment();
                    p.getValue().future().completeExceptionally(new OutcomeUnknownException("the entry at index "
                            + p.getKey() + " was folded into a snapshot before it was applied here"));
                    it.remove();
                }
            }
            if (started) {
                log.info("{} installed a snapshot from the leader at index {}", nodeId, index);
            } else {
                log.info("{} restored its state from its own snapshot at index {}", nodeId, index);
            }
        }

        @Override
        public void apply(Entry e) {
            CommandResult result;
            if (e.type() == EntryType.COMMAND) {
                Proposal p = CommandCodec.decode(e.data());
                result = state.apply(e.index(), p.command());
            } else {
                state.advanceTo(e.index());
                result = new CommandResult.Done(e.index());
                if (e.type() == EntryType.CONF_CHANGE) {
                    // Every node logs every membership change (join, promotion, removal, replacement) once.
                    logMembershipChange(e);
                }
            }
            applied = e.index();
            stats.applied.increment();
            Pending pending = pendingProposals.remove(e.index());
            if (pending != null) {
                if (pending.term() == e.term()) {
                    stats.proposalsCommitted.increment();
                    pending.future().complete(new AppliedEntry(e.index(), result));
                } else {
                    stats.proposalsFailed.increment();
                    pending.future().completeExceptionally(new ProposalLostException(e.index()));
                }
            }
        }

        /** The core skips a payload that does not decode (membership unchanged), and so does the log line. */
        private void logMembershipChange(Entry e) {
            try {
                ConfChange change = ConfChange.decode(e.data());
                log.info("{} applied membership change at index {}: {} {}", nodeId, e.index(),
                        change.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), change.nodeId());
            } catch (IllegalArgumentException undecodable) {
                log.warn("{} skipped an undecodable membership change at index {}: {}", nodeId, e.index(),
                        undecodable.getMessage());
            }
        }

        @Override
        public byte[] snapshotData() {
            return state.snapshot();
        }

        @Override
        public void readStates(List<ReadState> readStates) {
            for (ReadState rs : readStates) {
                List<CompletableFuture<Long>> group = readsInFlight.remove(rs.requestId());
                if (group != null) {
                    group.forEach(f -> whenApplied(rs.index(), f));
                }
            }
        }

        @Override
        public void softState(SoftState softState) {
            onSoftState(softState.role(), softState.leader());
        }
    }

    private void onSoftState(Role role, String leader) {
        if (role != Role.LEADER) {
            readsInFlight.values().forEach(g -> g.forEach(f -> f.completeExceptionally(new NotLeaderException(nodeId, leader))));
            readsInFlight.clear();
        }
        if (leader != null && !leader.equals(nodeId) && !transfers.isEmpty()) {
            for (Transfer t : transfers) {
                if (t.target().equals(leader)) {
                    t.future().complete(leader);
                } else {
                    t.future().completeExceptionally(new TransferAbandonedException("leadership transfer to "
                            + t.target() + " abandoned: " + leader + " became leader instead"));
                }
            }
            transfers.clear();
        }
        stats.leaderChanges.increment();
        if (role == Role.CANDIDATE) {
            stats.elections.increment();
        }
        log.info("{} is now {} (leader: {}, term {})", nodeId, role, leader, core.term());
    }

    /**
     * The core drops a transfer silently: after an election timeout without the target taking over, or when
     * a later transfer names another target. While this node still leads, a transfer whose target is not the
     * core's current transferee is over. (While it follows without a known leader the target's election may
     * still be running: the soft state decides then.)
     */
    private void failAbandonedTransfers(Status s) {
        if (transfers.isEmpty() || s.role() != Role.LEADER) {
            return;
        }
        for (Iterator<Transfer> it = transfers.iterator(); it.hasNext(); ) {
            Transfer t = it.next();
            if (!t.target().equals(s.leadTransferee())) {
                it.remove();
                t.future().completeExceptionally(new TransferAbandonedException("leadership transfer to " + t.target()
                        + " abandoned: it did not take over within an election timeout"
                        + (s.leadTransferee() == null ? "" : " (replaced by a transfer to " + s.leadTransferee() + ")")
                        + "; " + nodeId + " still leads term " + s.term()));
            }
        }
    }

    private void whenApplied(long index, CompletableFuture<Long> future) {
        if (applied >= index) {
            future.complete(applied);
        } else {
            appliedWaiters.computeIfAbsent(index, k -> new ArrayList<>()).add(future);
        }
    }

    private void completeAppliedWaiters() {
        while (!appliedWaiters.isEmpty() && appliedWaiters.firstKey() <= applied) {
            appliedWaiters.pollFirstEntry().getValue().forEach(f -> f.complete(applied));
        }
    }

    private void maybeSnapshot() {
        boolean requested = !snapshotRequests.isEmpty();
        long start = nanoClock.getAsLong();
        Snapshot snapshot = handler.snapshotIfDue(settings.snapshotEveryEntries(), requested);
        if (snapshot != null) {
            stats.recordSnapshot(nanoClock.getAsLong() - start);
            log.info("{} saved a snapshot at index {} ({} bytes)", nodeId, snapshot.metadata().index(),
                    snapshot.data().length);
        }
        if (requested) {
            long index = handler.lastSnapshotIndex();
            snapshotRequests.forEach(f -> f.complete(index));
            snapshotRequests.clear();
        }
    }

    private void failEverything() {
        NodeUnavailableException e = unavailable();
        OutcomeUnknownException unknown = new OutcomeUnknownException(
                "the node stopped before the write was applied here; it may still commit: " + e.getMessage());
        pendingProposals.values().forEach(p -> p.future().completeExceptionally(unknown));
        pendingProposals.clear();
        readsToStart.forEach(f -> f.completeExceptionally(e));
        readsToStart.clear();
        readsInFlight.values().forEach(g -> g.forEach(f -> f.completeExceptionally(e)));
        readsInFlight.clear();
        appliedWaiters.values().forEach(g -> g.forEach(f -> f.completeExceptionally(e)));
        appliedWaiters.clear();
        transfers.forEach(t -> t.future().completeExceptionally(e));
        snapshotRequests.forEach(f -> f.completeExceptionally(e));
        snapshotRequests.clear();
        transfers.clear();
        Task task;
        while ((task = inbox.poll()) != null) {
            if (task.future() != null) {
                task.future().completeExceptionally(e);
            }
        }
    }

    /** Stops the driver thread and fails every outstanding request. Does not close the storage. */
    @Override
    public void close() {
        running = false;
        // Wake the loop rather than interrupt it: an interrupt during a WAL write or fsync closes the
        // file channel (ClosedByInterruptException) and turns a clean stop into a storage failure.
        inbox.offer(new Task(c -> { }, null));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
