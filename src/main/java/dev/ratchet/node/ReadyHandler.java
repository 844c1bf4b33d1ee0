package dev.ratchet.node;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.SoftState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Handles each {@link Ready} of one {@link RaftCore} in the order {@link Ready} prescribes, without waiting
 * for the disk in the common case (issue 14, modelled on etcd-io/raft's asynchronous storage writes):
 * {@link #submit} sends the leader's traffic, hands the writes to storage, starts a sync it does not wait
 * for, applies the committed entries, reports read states and role changes and advances the core; the caller
 * forces the returned {@link DurableStorage.PendingSync} wherever it likes (the driver on its sync thread,
 * the simulation after a simulated disk latency) and reports it with {@link #synced}, which only then sends
 * the acknowledgements of the Readies it covers and tells the core which entries are durable here. Meanwhile
 * the core goes on stepping messages and ticking, and the leader counts its own copy of an entry only once
 * synced, so a quorum of followers can commit it while the leader's disk is slow (thesis §10.2.1).
 *
 * <p>Committed entries are applied at once, durable here or not: committed means durable on a quorum, and
 * the state machine lives in memory and is rebuilt from snapshot and log at start. Two kinds of Ready are
 * handled synchronously instead (a barrier: one sync on the calling thread covers every write so far): one
 * that installs a snapshot (the core cannot take it back), and one that changes the term or the vote. The
 * vote requests and answers wait for the sync anyway (they are acknowledgements); the barrier also keeps
 * term and vote on disk before the core acts on them in any other way, so that no argument about which of
 * its actions depend on them is needed. Both happen once per election or install, not per write.
 *
 * <p>The production driver and the deterministic simulation both run this class; only the storage, the
 * outbox, the application and who forces the syncs differ. It also takes local snapshots of the applied
 * state.
 *
 * <p>Threading: not thread-safe; every method runs on the thread that owns the core (only
 * {@link DurableStorage.PendingSync#force()} may run elsewhere). No clock. Failures: a
 * {@link dev.ratchet.raft.StorageException} from the storage (also one reported by a failed force) or a
 * runtime exception from the application propagates; the caller must stop using the core.
 */
public final class ReadyHandler {

    /**
     * The replicated application the handler applies committed entries to. Called only from the thread
     * that owns the core, never concurrently; the methods must not call back into the core.
     */
    public interface Application {

        /** Replaces the whole state with a snapshot's (durable by then). */
        void restore(Snapshot snapshot);

        /** Applies one committed entry of any type, in index order, each exactly once per start. */
        void apply(Entry entry);

        /**
         * The state as of the last entry applied, frozen for a local snapshot: later applies must not change
         * what the returned encoder produces, which may be called later on another thread. Should take O(1),
         * or little: it runs on the loop.
         */
        Supplier<byte[]> captureState();

        /** ReadIndex results, after this Ready's entries were applied. */
        default void readStates(List<ReadState> readStates) {
        }

        /** A change of role or leader, after this Ready's entries were applied. */
        default void softState(SoftState softState) {
        }
    }

    /** A sync started and not yet reported: the acknowledgements waiting for it, and the last entry it covers. */
    private record InFlight(DurableStorage.PendingSync sync, List<Message> acknowledgements, long lastIndex,
                            long lastTerm) { }

    private final RaftCore core;
    private final DurableStorage storage;
    private final PeerOutbox outbox;
    private final Application application;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Term and vote as last written (the barrier rule compares against them). */
    private HardState lastWritten;
    private long appliedIndex;
    private ConfState appliedConf;
    private long lastSnapshotIndex;
    /** The index of the snapshot captured and not yet reported written, or 0. */
    private long capturedIndex;
    /** Bytes of the newest snapshot saved or installed (its state image). */
    private long lastSnapshotBytes;
    /** Bytes of entry data applied since the last capture or restore. */
    private long appliedBytesSinceSnapshot;

    /**
     * A snapshot waits until the entries applied since the last one amount to this fraction of its size as
     * well as to the entry count: encoding a 150 MB state after every 10,000 small writes (issue 14, 1M keys)
     * spent more CPU on snapshots than on the writes. This bounds that to about 8 bytes encoded per byte
     * written, and the log a restart replays to an eighth of the state.
     */
    static final int SNAPSHOT_SIZE_PER_LOG_BYTES = 8;
    /**
     * This node's share of the log-size condition, 1 to 2 from its id: the nodes of a cluster apply the same
     * entries, so without it they would all encode their state at the same moment, and a cluster whose nodes
     * share cores (or whose followers all slow down at once) would feel it. hashicorp/raft staggers its
     * snapshot checks for the same reason. Deterministic, as the simulation needs.
     */
    private final double stagger;

    /**
     * Restores the application from the storage's snapshot (when there is one); the application must be
     * empty before.
     */
    public ReadyHandler(RaftCore core, DurableStorage storage, PeerOutbox outbox, Application application) {
        this.core = Objects.requireNonNull(core, "core");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.application = Objects.requireNonNull(application, "application");
        this.stagger = 1 + Math.floorMod(core.id().hashCode(), 1024) / 1024.0;
        this.lastWritten = storage.hardState();
        SnapshotMetadata snapshot = storage.snapshotMetadata();
        this.appliedConf = snapshot.conf();
        this.lastSnapshotIndex = snapshot.index();
        this.appliedIndex = lastSnapshotIndex;
        if (lastSnapshotIndex > 0) {
            Snapshot stored = storage.snapshot();
            application.restore(stored);
            lastSnapshotBytes = stored.data().length;
        }
    }

    /** Handles one Ready and waits for its sync on this thread (tests and simple drivers). Blocks for the disk. */
    public void handle(Ready rd) {
        DurableStorage.PendingSync pending = submit(rd);
        if (pending != null) {
            pending.force();
            synced(pending);
        }
    }

    /**
     * Handles one Ready up to the point where only its sync is missing, and advances the core.
     *
     * @return the sync to force and then report with {@link #synced}, or null if nothing waits for one (the
     *         Ready wrote nothing, or was a barrier and synced on this thread already)
     */
    public DurableStorage.PendingSync submit(Ready rd) {
        Objects.requireNonNull(rd, "ready");
        for (Message m : rd.messages()) {
            outbox.send(m);
        }
        if (needsBarrier(rd)) {
            handleWithBarrier(rd);
            return null;
        }
        writeAll(rd);
        DurableStorage.PendingSync pending = null;
        if (rd.mustPersist()) {
            pending = storage.startSync();
            inFlight.addLast(new InFlight(pending, new ArrayList<>(rd.messagesAfterPersist()), storage.lastIndex(),
                    storage.term(storage.lastIndex())));
        } else if (!rd.messagesAfterPersist().isEmpty()) {
            if (inFlight.isEmpty()) {
                rd.messagesAfterPersist().forEach(outbox::send);
            } else {
                // They may acknowledge writes of an earlier Ready still being synced: they wait for the newest sync.
                inFlight.peekLast().acknowledgements().addAll(rd.messagesAfterPersist());
            }
        }
        rd.committedEntries().forEach(this::apply);
        report(rd);
        if (rd.mustPersist()) {
            core.advanceWritten(rd);
        } else {
            core.advance(rd);
        }
        return pending;
    }

    /**
     * {@code pending} (from {@link #submit}) was forced: finishes it with the storage, sends the
     * acknowledgements of every Ready it covers (those before it included: forcing a later sync makes the
     * earlier writes durable too) and tells the core which entries are durable. A sync covered already by a
     * later one reported before does nothing.
     *
     * @throws dev.ratchet.raft.StorageException if the force failed
     */
    public void synced(DurableStorage.PendingSync pending) {
        Objects.requireNonNull(pending, "pending");
        if (inFlight.stream().noneMatch(f -> f.sync() == pending)) {
            if (pending.failed()) {
                throw failedSync(pending);
            }
            return;
        }
        storage.finishSync(pending);
        InFlight last;
        do {
            last = inFlight.pollFirst();
            if (last.sync().failed()) {
                // A storage that fails per sync, not as a whole: an earlier failure is not undone by this one.
                throw failedSync(last.sync());
            }
            last.acknowledgements().forEach(outbox::send);
        } while (last.sync() != pending);
        core.persisted(last.lastIndex(), last.lastTerm());
    }

    /** How many submitted syncs are not reported yet. */
    public int syncsInFlight() {
        return inFlight.size();
    }

    private boolean needsBarrier(Ready rd) {
        HardState hs = rd.hardState();
        return rd.snapshot() != null || (hs != null && (hs.term() != lastWritten.term()
                || !Objects.equals(hs.votedFor(), lastWritten.votedFor())));
    }

    private void writeAll(Ready rd) {
        if (rd.snapshot() != null) {
            storage.installSnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            storage.append(rd.entries());
        }
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
            lastWritten = rd.hardState();
        }
    }

    /** Writes, syncs on this thread (covering every sync in flight), then acknowledges, restores and applies. */
    private void handleWithBarrier(Ready rd) {
        writeAll(rd);
        storage.sync();
        for (InFlight f : inFlight) {
            // A pipelined force that failed is final even if this fsync succeeded (Linux may drop failed pages).
            if (f.sync().failed()) {
                throw failedSync(f.sync());
            }
        }
        while (!inFlight.isEmpty()) {
            inFlight.pollFirst().acknowledgements().forEach(outbox::send);
        }
        rd.messagesAfterPersist().forEach(outbox::send);
        if (rd.snapshot() != null) {
            Snapshot snapshot = rd.snapshot();
            application.restore(snapshot);
            appliedConf = snapshot.metadata().conf();
            appliedIndex = snapshot.metadata().index();
            lastSnapshotIndex = appliedIndex;
            lastSnapshotBytes = snapshot.data().length;
            appliedBytesSinceSnapshot = 0;
        }
        rd.committedEntries().forEach(this::apply);
        report(rd);
        core.advance(rd);
        long last = storage.lastIndex();
        core.persisted(last, storage.term(last));
    }

    /** The storage's own report of a failed sync, or one of ours if it has none. */
    private StorageException failedSync(DurableStorage.PendingSync failed) {
        storage.finishSync(failed);
        return new StorageException("a pipelined sync failed: " + failed);
    }

    private void report(Ready rd) {
        if (!rd.readStates().isEmpty()) {
            application.readStates(rd.readStates());
        }
        if (rd.softState() != null) {
            application.softState(rd.softState());
        }
    }

    private void apply(Entry e) {
        if (e.index() != appliedIndex + 1) {
            throw new IllegalStateException("entry " + e.index() + " committed after applied index " + appliedIndex);
        }
        if (e.type() == EntryType.CONF_CHANGE) {
            appliedConf = ConfChange.applyEntry(appliedConf, e.data());
        }
        application.apply(e);
        appliedIndex = e.index();
        appliedBytesSinceSnapshot += e.data().length;
    }

    /**
     * Saves a local snapshot of the applied state when {@code everyEntries} entries were applied since the
     * last one and their data amount to 1/{@value #SNAPSHOT_SIZE_PER_LOG_BYTES} of its size (times this node's
     * stagger, 1 to 2), or when
     * {@code requested} and anything was applied since: {@link #captureIfDue},
     * {@link DurableStorage#writeSnapshotFile} and {@link #snapshotWritten} in a row, on this thread. The applied
     * entries need not be synced here yet: the snapshot file is durable before its WAL marker, which follows
     * them in the log. Blocks for the snapshot's own write and fsync.
     *
     * @return the snapshot saved, or null if none was due
     */
    public Snapshot snapshotIfDue(long everyEntries, boolean requested) {
        CapturedSnapshot captured = captureIfDue(everyEntries, requested);
        if (captured == null) {
            return null;
        }
        Snapshot snapshot = captured.encode();
        storage.writeSnapshotFile(snapshot);
        snapshotWritten(snapshot);
        return snapshot;
    }

    /**
     * The applied state captured for a snapshot, when one is due as for {@link #snapshotIfDue} and none captured
     * before is still being written; the caller encodes it and writes its file
     * ({@link DurableStorage#writeSnapshotFile}), on any thread, and then reports it with {@link #snapshotWritten}.
     * Only captures the state on this thread ({@link Application#captureState}); no encoding, no disk.
     *
     * @return the snapshot to encode and write, or null if none is due
     */
    public CapturedSnapshot captureIfDue(long everyEntries, boolean requested) {
        long since = appliedIndex - lastSnapshotIndex;
        boolean due = since >= everyEntries
                && appliedBytesSinceSnapshot * SNAPSHOT_SIZE_PER_LOG_BYTES >= lastSnapshotBytes * stagger;
        if (capturedIndex != 0 || since == 0 || !(due || requested)) {
            return null;
        }
        long index = appliedIndex;
        CapturedSnapshot captured = new CapturedSnapshot(new SnapshotMetadata(index, storage.term(index), appliedConf),
                application.captureState());
        capturedIndex = index;
        appliedBytesSinceSnapshot = 0;
        return captured;
    }

    /**
     * A snapshot from {@link #captureIfDue} has its file: the storage adopts it (compacting the log), unless a
     * newer snapshot was installed meanwhile. Either way the next one may be captured.
     *
     * @return whether the storage adopted it
     * @throws StorageException if the storage fails
     */
    public boolean snapshotWritten(Snapshot snapshot) {
        if (snapshot.metadata().index() != capturedIndex) {
            throw new IllegalStateException("snapshot " + snapshot.metadata() + " was not the one captured ("
                    + capturedIndex + ")");
        }
        capturedIndex = 0;
        boolean adopted = storage.adoptLocalSnapshot(snapshot);
        if (adopted) {
            lastSnapshotIndex = Math.max(lastSnapshotIndex, snapshot.metadata().index());
            lastSnapshotBytes = snapshot.data().length;
        }
        return adopted;
    }

    /** The index of the last entry applied (or of the snapshot restored). */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The membership as of the applied index. */
    public ConfState appliedConf() {
        return appliedConf;
    }

    /** The index of the newest snapshot saved or installed. */
    public long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }
}
