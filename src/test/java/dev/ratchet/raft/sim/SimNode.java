package dev.ratchet.raft.sim;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.RaftException;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated server: the Raft core, its simulated disk and the key/value state machine, driven the way
 * the production driver will drive them. A Ready's leader traffic goes out at once; its writes are issued
 * to the disk and the rest (acknowledgements, apply, advance) waits for the simulated sync to complete.
 * Inputs that arrive meanwhile queue in a bounded inbox.
 */
final class SimNode {

    /** Inputs queued while a Ready is being persisted; beyond this they are dropped like lost packets. */
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

    final String id;
    private final Simulation sim;
    private final RaftConfig cfg;
    final SimDisk disk = new SimDisk();
    RaftCore core;
    KvStateMachine sm;
    boolean up;
    int incarnation;
    private boolean busy;
    private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    private final Map<Long, PendingWrite> writes = new HashMap<>();
    private final Map<Long, PendingRead> reads = new HashMap<>();
    private final int snapshotEvery;
    /** Commit index last seen in this incarnation (monotonic commit check). */
    long lastCommit;

    SimNode(String id, Simulation sim, RaftConfig cfg, int snapshotEvery) {
        this.id = id;
        this.sim = sim;
        this.cfg = cfg;
        this.snapshotEvery = snapshotEvery;
    }

    void start() {
        core = new RaftCore(cfg, disk, new SplittableRandom(sim.random.nextLong()));
        sm = KvStateMachine.restore(disk.snapshot());
        up = true;
        busy = false;
        inbox.clear();
        lastCommit = core.commitIndex();
        pump();
    }

    void crash() {
        up = false;
        incarnation++;
        disk.crash(sim.random);
        core = null;
        sm = null;
        inbox.clear();
        writes.clear();
        reads.clear();
    }

    void receive(Message m) {
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
        rd.messages().forEach(sim.network::send);
        if (rd.snapshot() != null) {
            disk.installSnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            disk.append(rd.entries());
            sim.checker.onAppended(this, rd.entries());
        }
        if (rd.hardState() != null) {
            disk.setHardState(rd.hardState());
            sim.checker.onCommit(this, rd.hardState().commit());
        }
        if (rd.softState() != null && rd.softState().role() == Role.LEADER) {
            sim.checker.onLeaderPersisted(this);
        }
        if (!rd.mustPersist()) {
            finishReady(rd);
            return;
        }
        busy = true;
        int inc = incarnation;
        sim.schedule(sim.random.nextInt(4), () -> {
            if (up && incarnation == inc) {
                finishReady(rd);
                pump();
            }
        });
    }

    private void finishReady(Ready rd) {
        disk.sync();
        rd.messagesAfterPersist().forEach(sim.network::send);
        if (rd.snapshot() != null) {
            sm = KvStateMachine.restore(rd.snapshot());
            sim.checker.onRestore(this, sm);
        }
        for (Entry e : rd.committedEntries()) {
            KvStateMachine.Applied applied = sm.apply(e);
            sim.checker.onApply(this, e, sm);
            if (e.type() == EntryType.CONF_CHANGE && e.index() > nodesBootstrapEntries()) {
                sim.confChangesApplied++;
            }
            if (applied != null) {
                PendingWrite w = writes.remove(applied.opId());
                if (w != null) {
                    w.client().completed(w.attempt(), applied.result());
                }
            }
        }
        for (ReadState rs : rd.readStates()) {
            PendingRead r = reads.get(rs.requestId());
            if (r != null) {
                r.index()[0] = rs.index();
            }
        }
        core.advance(rd);
        busy = false;
        serveReads();
        if (rd.softState() != null && rd.softState().role() != Role.LEADER) {
            // Deposed: no read pending here can be confirmed any more.
            reads.values().forEach(r -> r.client().abandoned(r.attempt()));
            reads.clear();
        }
        maybeSnapshot();
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

    private void maybeSnapshot() {
        long applied = sm.appliedIndex();
        if (applied - disk.snapshot().metadata().index() >= snapshotEvery && applied >= disk.firstIndex()) {
            Snapshot snap = new Snapshot(new SnapshotMetadata(applied, sm.appliedTerm(), sm.conf()), sm.snapshotData());
            disk.saveLocalSnapshot(snap);
        }
    }

    private int nodesBootstrapEntries() {
        return sim.nodeCount();
    }

    boolean isLeader() {
        return up && core.role() == Role.LEADER;
    }

    @Override
    public String toString() {
        return id + (up ? "[" + core.role() + " t" + core.term() + " c" + core.commitIndex() + "]" : "[down]");
    }

    static boolean isCommand(Entry e) {
        return e.type() == EntryType.COMMAND;
    }
}
