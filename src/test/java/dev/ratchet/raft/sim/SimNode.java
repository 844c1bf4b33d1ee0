package dev.ratchet.raft.sim;

import dev.ratchet.node.CapturedSnapshot;
import dev.ratchet.node.ReadyHandler;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.RaftException;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import dev.ratchet.raft.SoftState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One simulated server: the Raft core, its simulated disk and the key/value state machine, driven by the
 * production {@link ReadyHandler}. The simulation only decides when things happen: a Ready's writes are
 * issued at once and its sync is forced after a simulated disk latency while the core goes on (the driver's
 * pipelined syncs); a crash loses whatever was not synced.
 *
 * <p>Identity: a server {@link #name} ({@code n2}) runs as the Raft member {@link #raftId()}
 * ({@code n2~1}); a server that lost its disk comes back as a new incarnation ({@code n2~2}) that has never
 * voted, and drops every message addressed to an older one.
 */
final class SimNode {

    /** Inputs queued while the handler runs; beyond this they are dropped like lost packets. */
    static final int MAX_INBOX = 10_000;

    /** A client's callback for an accepted operation. */
    interface Client {
        void accepted(int attempt);

        void rejected(int attempt, String leaderHint);

        void completed(int attempt, KvOp.Result result);

        /** The operation certainly had no effect but was accepted (a read on a deposed leader). */
        void abandoned(int attempt);
    }

    private record PendingRead(String key, Client client, int attempt, long[] index) { }

    private record PendingWrite(Client client, int attempt) { }

    final String name;
    private final Simulation sim;
    private final Function<String, RaftConfig> config;
    final SimDisk disk;
    RaftCore core;
    KvStateMachine sm;
    private ReadyHandler handler;
    boolean up;
    /** The disk's incarnation: part of the Raft id, raised when the disk is lost. */
    int incarnation = 1;
    /** Raised at every crash, so that callbacks of an earlier run of the process do nothing. */
    private int generation;
    /** True from a restart on an empty disk until the membership manager made this incarnation a voter. */
    boolean wantsToJoin;
    /** True while the handler runs: callbacks it makes (a client resubmitting) queue in the inbox meanwhile. */
    private boolean busy;
    private boolean becameLeader;
    /** A new leader that wants to change the membership as soon as its core accepts. */
    boolean changeAtFirstChance;
    /** The change it wants then (null: a random one). */
    dev.ratchet.raft.ConfChange directedChange;
    /** Set by the nemesis: crash right after the next multi-entry append is issued, before its sync. */
    boolean crashBeforeNextSync;
    private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    private final Map<Long, PendingWrite> writes = new HashMap<>();
    private final Map<Long, PendingRead> reads = new HashMap<>();
    private final int snapshotEvery;
    /** Commit index last seen in this run of the process (monotonic commit check). */
    long lastCommit;
    long droppedForOldIncarnation;

    SimNode(String name, Simulation sim, Function<String, RaftConfig> config, int snapshotEvery, SimDisk disk) {
        this.name = name;
        this.sim = sim;
        this.config = config;
        this.snapshotEvery = snapshotEvery;
        this.disk = disk;
        disk.observe(new SimDisk.Observer() {
            @Override
            public void appended(List<Entry> entries) {
                sim.checker.onAppended(SimNode.this, entries);
            }

            @Override
            public void hardStateSet(HardState hardState) {
                sim.checker.onCommit(SimNode.this, hardState.commit());
            }
        });
    }

    /** The server name of a Raft id ({@code n2~3} is server {@code n2}). */
    static String nameOf(String raftId) {
        int tilde = raftId.indexOf('~');
        return tilde < 0 ? raftId : raftId.substring(0, tilde);
    }

    String raftId() {
        return name + "~" + incarnation;
    }

    /** Starts the process on whatever the disk kept; returns false if recovery refuses the disk. */
    boolean start() {
        if (disk.unrecoverable() != null) {
            return false;
        }
        core = new RaftCore(config.apply(raftId()), disk, new SplittableRandom(sim.random.nextLong()));
        sm = KvStateMachine.restore(Snapshot.EMPTY);
        handler = new ReadyHandler(core, disk, sim.network::send, new Applier());
        up = true;
        busy = false;
        inbox.clear();
        lastCommit = core.commitIndex();
        pump();
        return true;
    }

    void crash() {
        up = false;
        generation++;
        disk.crash(sim.random);
        core = null;
        sm = null;
        handler = null;
        inbox.clear();
        writes.clear();
        reads.clear();
    }

    void receive(Message m) {
        if (!m.to().equals(raftId())) {
            // Addressed to an earlier incarnation of this server: that member is gone with its disk.
            droppedForOldIncarnation++;
            return;
        }
        enqueue(() -> core.step(m));
    }

    void tick() {
        enqueue(() -> core.tick());
    }

    /** Runs {@code action} against the core now, or once the outstanding Ready is done. */
    void enqueue(Runnable action) {
        if (!up) {
            return;
        }
        if (busy) {
            if (inbox.size() < MAX_INBOX) {
                inbox.add(action);
            }
            return;
        }
        action.run();
        pump();
    }

    void submit(KvOp op, long opId, Client client, int attempt) {
        enqueue(() -> {
            if (op.isRead() && sim.plantedLocalReads && core.role() == Role.LEADER) {
                // PLANTED BUG (test-only): answer from local state without confirming leadership.
                sim.plantedReadsServed++;
                client.accepted(attempt);
                client.completed(attempt, new KvOp.Result(sm.get(op.key()), false));
                return;
            }
            try {
                if (op.isRead()) {
                    core.readIndex(opId);
                    reads.put(opId, new PendingRead(op.key(), client, attempt, new long[] {-1}));
                } else {
                    core.propose(op.encodeCommand(opId));
                    writes.put(opId, new PendingWrite(client, attempt));
                }
                client.accepted(attempt);
            } catch (NotLeaderException e) {
                client.rejected(attempt, e.leaderHint());
            } catch (RaftException e) {
                client.rejected(attempt, null);
            }
        });
    }

    private void pump() {
        while (up && !busy) {
            Runnable next = inbox.poll();
            if (next != null) {
                next.run();
            } else if (core.hasReady()) {
                handleReady(core.ready());
            } else {
                return;
            }
        }
    }

    private void handleReady(Ready rd) {
        sim.checker.onReady(this, rd);
        boolean crashBeforeSync = crashBeforeNextSync && rd.entries().size() > 1;
        busy = true;
        DurableStorage.PendingSync pending;
        try {
            pending = handler.submit(rd);
        } catch (StorageException e) {
            stopOnStorageFailure(e);
            return;
        }
        busy = false;
        sim.checker.onVoteDurable(this, disk.durableHardState());
        if (rd.softState() != null && rd.softState().role() == Role.LEADER) {
            sim.checker.onLeaderPersisted(this);
            sim.race.onBecameLeader(this);
        }
        if (pending != null) {
            int gen = generation;
            if (crashBeforeSync) {
                crashBeforeNextSync = false;
                sim.schedule(0, () -> sim.crashAndRestart(this));
            }
            if (sim.plantedEarlyDurability) {
                // PLANTED BUG (test-only): report the sync before the disk answered.
                busy = true;
                handler.synced(pending);
                busy = false;
            }
            // The disk answers after a random latency, now and then far longer than a network round trip (a
            // slow disk, so that followers commit before the leader's own sync); syncs taken later may be
            // forced first (one force then covers the earlier ones too, as on a real file), and the core goes
            // on meanwhile.
            int latency = sim.random.nextInt(8) == 0 ? 10 + sim.random.nextInt(40) : sim.random.nextInt(4);
            // The driver learns of a forced sync a little later (its loop polls the sync thread), so other
            // Readies, barriers among them, may run between the force and its report.
            sim.schedule(latency, () -> {
                if (up && generation == gen) {
                    pending.force();
                    sim.checker.onVoteDurable(this, disk.durableHardState());
                    sim.schedule(sim.random.nextInt(3), () -> {
                        if (up && generation == gen) {
                            reportSynced(pending);
                        }
                    });
                }
            });
        }
        afterReady();
    }

    /** Its own scheduler event: never inside a handler call. */
    private void reportSynced(DurableStorage.PendingSync pending) {
        asEvent(() -> handler.synced(pending));
    }

    /** Its own scheduler event, as the driver's snapshot writer encodes, writes and reports back to the loop. */
    private void snapshotWritten(CapturedSnapshot captured) {
        asEvent(() -> {
            Snapshot taken = captured.encode();
            disk.writeSnapshotFile(taken);
            if (handler.snapshotWritten(taken)) {
                sim.localSnapshots++;
            } else {
                sim.droppedLocalSnapshots++;
            }
        });
    }

    /** Runs a handler call as an event of its own, then what follows every Ready; a storage failure stops the node. */
    private void asEvent(Runnable handlerCall) {
        busy = true;
        try {
            handlerCall.run();
        } catch (StorageException e) {
            stopOnStorageFailure(e);
            return;
        }
        busy = false;
        afterReady();
        pump();
    }

    /** The driver stops at a storage failure; the process is restarted later, on what the disk kept. */
    private void stopOnStorageFailure(StorageException e) {
        busy = false;
        sim.note("storage failed on " + raftId() + ": " + e.getMessage());
        sim.stopAndRestart(this);
    }

    private void afterReady() {
        serveReads();
        // As the driver does: the state is captured here, its file written "elsewhere" (after a random delay,
        // during which the node goes on, may install a newer snapshot from the leader or crash), and adopted
        // by the handler as an event of its own.
        CapturedSnapshot taken = handler.captureIfDue(snapshotEvery, false);
        if (taken != null) {
            int gen = generation;
            sim.schedule(sim.random.nextInt(3) == 0 ? 10 + sim.random.nextInt(50) : sim.random.nextInt(3), () -> {
                if (up && generation == gen) {
                    snapshotWritten(taken);
                }
            });
        }
        if (becameLeader) {
            becameLeader = false;
            sim.onElected(this);
        } else if (changeAtFirstChance) {
            sim.membership.retryAfterElection(this);
        }
    }

    /** What the production handler applies to here: the key/value machine, the checker and the clients. */
    private final class Applier implements ReadyHandler.Application {

        @Override
        public void restore(Snapshot snapshot) {
            sm = KvStateMachine.restore(snapshot);
            sim.checker.onRestore(SimNode.this, sm);
        }

        @Override
        public void apply(Entry e) {
            KvStateMachine.Applied applied = sm.apply(e);
            sim.checker.onApply(SimNode.this, e, sm);
            if (e.type() == EntryType.CONF_CHANGE && e.index() > sim.bootstrapEntries()) {
                sim.confChangesApplied++;
            }
            if (applied != null) {
                PendingWrite w = writes.remove(applied.opId());
                if (w != null) {
                    w.client().completed(w.attempt(), applied.result());
                }
            }
        }

        @Override
        public Supplier<byte[]> captureState() {
            return sm.capture();
        }

        @Override
        public void readStates(List<ReadState> readStates) {
            for (ReadState rs : readStates) {
                PendingRead r = reads.get(rs.requestId());
                if (r != null) {
                    r.index()[0] = rs.index();
                }
            }
            serveReads();
        }

        @Override
        public void softState(SoftState softState) {
            if (softState.role() != Role.LEADER) {
                // Deposed: no read pending here can be confirmed any more.
                reads.values().forEach(r -> r.client().abandoned(r.attempt()));
                reads.clear();
            } else {
                becameLeader = true;
            }
            if (softState.role() != Role.LEADER) {
                changeAtFirstChance = false;
                directedChange = null;
            }
        }
    }

    private void serveReads() {
        for (Iterator<PendingRead> it = reads.values().iterator(); it.hasNext(); ) {
            PendingRead r = it.next();
            if (r.index()[0] >= 0 && sm.appliedIndex() >= r.index()[0]) {
                it.remove();
                r.client().completed(r.attempt(), new KvOp.Result(sm.get(r.key()), false));
            }
        }
    }

    boolean isLeader() {
        return up && core.role() == Role.LEADER;
    }

    @Override
    public String toString() {
        return raftId() + (up ? "[" + core.role() + " t" + core.term() + " c" + core.commitIndex() + "]" : "[down]");
    }
}
