package dev.ratchet.node;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.SoftState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.util.List;
import java.util.Objects;

/**
 * Handles each {@link Ready} of one {@link RaftCore} in the order {@link Ready} prescribes: leader traffic
 * out, snapshot then entries then hard state written, committed entries that were already on this disk
 * applied, one sync (group commit), acknowledgements out, snapshot restored, the other committed entries
 * applied, read states and role changes reported, core advanced. It also takes local snapshots of the
 * applied state.
 *
 * <p>Why some entries are applied before the sync (issue 14): under load every Ready carries both the
 * entries the followers' acknowledgements just committed and the entries proposed meanwhile. The committed
 * ones are durable here already (an earlier Ready wrote and synced them) and on a quorum; holding their
 * callers until the new entries' fsync added one disk round to every write. An entry this very Ready writes
 * (a follower learning an entry and its commit in one message), or any entry in a Ready that installs a
 * snapshot, is still applied only after the sync. The production driver and the deterministic simulation
 * both run this class; only the storage, the outbox and the application differ.
 *
 * <p>One Ready goes through three calls, always in this order: {@link #persist}, {@link #sync},
 * {@link #complete}. A threaded driver makes them back to back ({@link #handle}); the simulation lets
 * simulated time pass between {@link #persist} and {@link #sync}, which is when a crash can lose unsynced
 * writes. Calling them out of order throws {@link IllegalStateException}: a message that acknowledges a
 * write can never leave before that write is synced.
 *
 * <p>Threading: not thread-safe; every method runs on the thread that owns the core. No clock: timing is
 * the caller's business. Failures: a {@link dev.ratchet.raft.StorageException} from the storage or a
 * runtime exception from the application propagates and leaves the Ready incomplete (the core not
 * advanced); the caller must stop using the core.
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

        /** The serialized state as of the last entry applied (for a local snapshot). */
        byte[] snapshotData();

        /** ReadIndex results, after this Ready's entries were applied. */
        default void readStates(List<ReadState> readStates) {
        }

        /** A change of role or leader, after this Ready's entries were applied. */
        default void softState(SoftState softState) {
        }
    }

    private enum Phase { IDLE, PERSISTED, SYNCED }

    private final RaftCore core;
    private final DurableStorage storage;
    private final PeerOutbox outbox;
    private final Application application;
    private Phase phase = Phase.IDLE;
    private Ready current;
    private long appliedIndex;
    private ConfState appliedConf;
    private long lastSnapshotIndex;
    /** How many of the current Ready's committed entries {@link #persist} applied (they were durable already). */
    private int appliedEarly;

    /**
     * Restores the application from the storage's snapshot (when there is one); the application must be
     * empty before.
     */
    public ReadyHandler(RaftCore core, DurableStorage storage, PeerOutbox outbox, Application application) {
        this.core = Objects.requireNonNull(core, "core");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.application = Objects.requireNonNull(application, "application");
        Snapshot snapshot = storage.snapshot();
        this.appliedConf = snapshot.metadata().conf();
        this.lastSnapshotIndex = snapshot.metadata().index();
        this.appliedIndex = lastSnapshotIndex;
        if (!snapshot.isEmpty()) {
            application.restore(snapshot);
        }
    }

    /** Persists, syncs and completes one Ready at once (the threaded driver's way). */
    public void handle(Ready rd) {
        persist(rd);
        sync();
        complete();
    }

    /**
     * Sends the messages that may precede persistence, issues the Ready's writes without syncing them, and
     * applies the committed entries that an earlier Ready made durable here.
     *
     * @throws IllegalStateException if the previous Ready is not complete
     */
    public void persist(Ready rd) {
        requirePhase(Phase.IDLE, "persist");
        current = Objects.requireNonNull(rd, "ready");
        for (Message m : rd.messages()) {
            outbox.send(m);
        }
        if (rd.snapshot() != null) {
            storage.installSnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            storage.append(rd.entries());
        }
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        appliedEarly = 0;
        if (rd.snapshot() == null) {
            long firstWrittenNow = rd.entries().isEmpty() ? Long.MAX_VALUE : rd.entries().get(0).index();
            List<Entry> committed = rd.committedEntries();
            while (appliedEarly < committed.size() && committed.get(appliedEarly).index() < firstWrittenNow) {
                apply(committed.get(appliedEarly));
                appliedEarly++;
            }
        }
        phase = Phase.PERSISTED;
    }

    /**
     * Makes the current Ready's writes durable with one sync; does nothing when it wrote nothing.
     *
     * @throws IllegalStateException unless {@link #persist} came just before
     */
    public void sync() {
        requirePhase(Phase.PERSISTED, "sync");
        if (current.mustPersist()) {
            storage.sync();
        }
        phase = Phase.SYNCED;
    }

    /**
     * Sends the acknowledgements, restores the snapshot, applies the committed entries {@link #persist} did
     * not, reports read states and role changes, and advances the core.
     *
     * @throws IllegalStateException unless {@link #sync} came just before
     */
    public void complete() {
        requirePhase(Phase.SYNCED, "complete");
        Ready rd = current;
        for (Message m : rd.messagesAfterPersist()) {
            outbox.send(m);
        }
        if (rd.snapshot() != null) {
            Snapshot snapshot = rd.snapshot();
            application.restore(snapshot);
            appliedConf = snapshot.metadata().conf();
            appliedIndex = snapshot.metadata().index();
            lastSnapshotIndex = appliedIndex;
        }
        List<Entry> committed = rd.committedEntries();
        for (int i = appliedEarly; i < committed.size(); i++) {
            apply(committed.get(i));
        }
        if (!rd.readStates().isEmpty()) {
            application.readStates(rd.readStates());
        }
        if (rd.softState() != null) {
            application.softState(rd.softState());
        }
        current = null;
        phase = Phase.IDLE;
        core.advance(rd);
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
    }

    /** True between {@link #persist} and {@link #complete}: the core accepts nothing else meanwhile. */
    public boolean inProgress() {
        return phase != Phase.IDLE;
    }

    /**
     * Saves a local snapshot of the applied state when {@code everyEntries} entries were applied since the
     * last one, or when {@code requested} and anything was applied since. Call only between Readies.
     *
     * @return the snapshot saved, or null if none was due
     * @throws IllegalStateException during a Ready
     */
    public Snapshot snapshotIfDue(long everyEntries, boolean requested) {
        requirePhase(Phase.IDLE, "snapshot");
        long since = appliedIndex - lastSnapshotIndex;
        if (since == 0 || (since < everyEntries && !requested)) {
            return null;
        }
        long index = appliedIndex;
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(index, storage.term(index), appliedConf),
                application.snapshotData());
        storage.saveLocalSnapshot(snapshot);
        lastSnapshotIndex = index;
        return snapshot;
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

    private void requirePhase(Phase expected, String step) {
        if (phase != expected) {
            throw new IllegalStateException(step + " called while the Ready handling is " + phase + ", not " + expected);
        }
    }
}
