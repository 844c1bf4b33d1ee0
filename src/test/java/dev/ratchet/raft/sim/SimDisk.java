package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A simulated disk laid out like {@code FileRaftStorage}: a write-ahead log of records in segment files
 * (one record per entry, per hard state, per snapshot marker) and snapshot files beside it. Writes are
 * visible at once; what a crash keeps is what the real files can keep:
 * <ul>
 *   <li>WAL records reach the durable image when a sync taken after them is forced ({@link #startSync()},
 *       possibly much later: the simulation forces pipelined syncs after a disk latency, as the driver's
 *       sync thread does), or at {@link #sync()}; a crash keeps a random prefix of each
 *       segment's unsynced records, independently per segment file, so one {@link #append} of several
 *       entries can survive torn (only its first entries).</li>
 *   <li>A snapshot file is written durably at once, before its WAL marker (as {@code SnapshotStore} does),
 *       so it outlives unsynced WAL records written before it; without its marker it is an orphan that
 *       recovery ignores.</li>
 *   <li>At a segment roll-over the old segment is forced first when {@link #forceOldSegmentAtRollover}
 *       (the fix of issue 12 item 4). Without it a crash can keep a later segment's records but lose an
 *       earlier one's tail: a hole, which recovery refuses like {@code WalReplay} does
 *       ({@link #unrecoverable()}).</li>
 * </ul>
 * {@link #wipe()} loses everything (a lost volume). {@link #failNextForce} makes one pipelined force fail
 * the way Linux fsync can: the unsynced records are dropped (their pages marked clean, so the file holds a
 * hole that recovery truncates at), and every later force and {@link #sync()} of this process "succeeds"
 * without making anything durable. A correct node stops at the failed force and never trusts a later one.
 */
final class SimDisk implements DurableStorage {

    /** Receives every write as it is issued (the invariant checker's view of appends and commits). */
    interface Observer {
        void appended(List<Entry> entries);

        void hardStateSet(HardState hardState);
    }

    /** One WAL record: replays itself onto an image. */
    private interface Rec {
        void replay(MemoryStorage image);
    }

    private final int segmentRecords;
    final boolean forceOldSegmentAtRollover;
    private MemoryStorage live = new MemoryStorage();
    private MemoryStorage durable = new MemoryStorage();
    /** Unsynced records, by segment (oldest first); the last list is the open segment. */
    private final List<List<Rec>> unsynced = new ArrayList<>();
    /** Records written so far (numbers them: a pipelined sync covers those before it was taken). */
    private long written;
    /** Records made durable so far, in write order: they are always the oldest of {@link #unsynced}. */
    private long forced;
    /** Raised at every crash and wipe. */
    private int generation;
    private int recordsInOpenSegment;
    private String unrecoverable;
    private Observer observer;
    long tornAppends;
    long wipes;
    /** Set by the nemesis: the next pipelined force fails. */
    boolean failNextForce;
    /** A force failed in this process: nothing written since the last good force becomes durable any more. */
    private boolean poisoned;
    long failedForces;

    /**
     * @param segmentRecords records per WAL segment before a roll-over (small, so batches cross segments)
     */
    SimDisk(int segmentRecords, boolean forceOldSegmentAtRollover) {
        if (segmentRecords < 1) {
            throw new IllegalArgumentException("segmentRecords must be >= 1");
        }
        this.segmentRecords = segmentRecords;
        this.forceOldSegmentAtRollover = forceOldSegmentAtRollover;
        unsynced.add(new ArrayList<>());
    }

    void observe(Observer o) {
        this.observer = o;
    }

    private void write(Rec rec) {
        rec.replay(live);
        if (recordsInOpenSegment >= segmentRecords) {
            if (forceOldSegmentAtRollover) {
                flushUnsynced();
            }
            unsynced.add(new ArrayList<>());
            recordsInOpenSegment = 0;
        }
        unsynced.get(unsynced.size() - 1).add(rec);
        recordsInOpenSegment++;
        written++;
    }

    private void flushUnsynced() {
        forceThrough(written);
    }

    /** Makes the records numbered up to {@code through} durable (the oldest unsynced ones). */
    private void forceThrough(long through) {
        while (forced < through) {
            List<Rec> oldest = unsynced.get(0);
            if (oldest.isEmpty()) {
                unsynced.remove(0);
                continue;
            }
            Rec rec = oldest.remove(0);
            if (!poisoned) {
                rec.replay(durable);
            }
            forced++;
        }
        if (unsynced.isEmpty()) {
            unsynced.add(new ArrayList<>());
        }
    }

    /**
     * Power loss: each segment keeps a random prefix of its unsynced records. A segment that lost records
     * followed by one that kept some is a hole the real recovery refuses to open.
     */
    void crash(RandomGenerator random) {
        // After a failed force recovery truncates at the hole: nothing unsynced survives.
        boolean truncated = poisoned;
        poisoned = false;
        failNextForce = false; // aimed at this process; the next one starts with a healthy disk
        boolean lostEarlier = false;
        for (List<Rec> segment : unsynced) {
            if (segment.isEmpty() || truncated) {
                continue;
            }
            int kept = random.nextInt(segment.size() + 1);
            if (lostEarlier) {
                if (kept > 0 && unrecoverable == null) {
                    unrecoverable = "WAL hole: a segment lost its unsynced tail but a later segment kept " + kept
                            + " records";
                }
                continue;
            }
            for (int i = 0; i < kept; i++) {
                segment.get(i).replay(durable);
            }
            if (kept > 0 && kept < segment.size() && segment.get(kept) instanceof AppendRec a && a.tornFrom()) {
                tornAppends++;
            }
            lostEarlier |= kept < segment.size();
        }
        unsynced.clear();
        unsynced.add(new ArrayList<>());
        recordsInOpenSegment = 0;
        live = durable.copy();
        // Syncs taken before the crash belong to a dead process: forcing one now must do nothing.
        generation++;
        forced = written;
    }

    /** The volume is gone: the node restarts with nothing. */
    void wipe() {
        wipes++;
        live = new MemoryStorage();
        durable = new MemoryStorage();
        unsynced.clear();
        unsynced.add(new ArrayList<>());
        recordsInOpenSegment = 0;
        unrecoverable = null;
        generation++;
        forced = written;
    }

    /** Why recovery would refuse to open this disk after the last crash, or null. */
    String unrecoverable() {
        return unrecoverable;
    }

    /** True when nothing was ever written (a fresh or wiped volume). */
    boolean isEmpty() {
        return live.lastIndex() == 0 && live.hardState().equals(HardState.EMPTY);
    }

    /** One entry of an append; {@code tornFrom} marks an entry that is not the first of its append. */
    private record AppendRec(Entry entry, boolean tornFrom) implements Rec {
        @Override
        public void replay(MemoryStorage image) {
            image.append(List.of(entry));
        }
    }

    private record HardStateRec(HardState hardState) implements Rec {
        @Override
        public void replay(MemoryStorage image) {
            image.setHardState(hardState);
        }
    }

    /** The WAL marker of a snapshot whose file is already durable (the snapshot itself stands for the file). */
    private record SnapshotMarker(Snapshot file, boolean installed) implements Rec {
        @Override
        public void replay(MemoryStorage image) {
            if (installed) {
                image.installSnapshot(file);
            } else {
                image.saveLocalSnapshot(file);
            }
        }
    }

    @Override
    public void append(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            write(new AppendRec(entries.get(i), i > 0));
        }
        if (observer != null && !entries.isEmpty()) {
            observer.appended(List.copyOf(entries));
        }
    }

    @Override
    public void setHardState(HardState hardState) {
        write(new HardStateRec(hardState));
        if (observer != null) {
            observer.hardStateSet(hardState);
        }
    }

    @Override
    public void installSnapshot(Snapshot snapshot) {
        write(new SnapshotMarker(snapshot, true));
    }

    @Override
    public void saveLocalSnapshot(Snapshot snapshot) {
        write(new SnapshotMarker(snapshot, false));
    }

    @Override
    public void sync() {
        flushUnsynced();
    }

    @Override
    public PendingSync startSync() {
        long through = written;
        int gen = generation;
        return new PendingSync() {
            private boolean failed;

            @Override
            public void force() {
                if (gen != generation) {
                    return;
                }
                if (failNextForce) {
                    failNextForce = false;
                    failed = true;
                    failedForces++;
                    poisoned = true;
                }
                forceThrough(Math.max(forced, through));
            }

            @Override
            public boolean failed() {
                return failed;
            }
        };
    }

    @Override
    public void finishSync(PendingSync pending) {
        if (pending.failed()) {
            throw new StorageException("simulated fsync failure");
        }
    }

    /** True if a crash now would keep entry {@code index}@{@code term}, in the log or under a snapshot. */
    boolean durablyHolds(long index, long term) {
        if (index <= durable.snapshot().metadata().index()) {
            return true;
        }
        return index <= durable.lastIndex() && index >= durable.firstIndex() && durable.term(index) == term;
    }

    /** The hard state a crash now would keep. */
    HardState durableHardState() {
        return durable.hardState();
    }

    @Override
    public void close() {
        live.close();
    }

    @Override
    public HardState hardState() {
        return live.hardState();
    }

    @Override
    public ConfState confState() {
        return live.confState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        return live.entries(lo, hi, maxBytes);
    }

    @Override
    public long term(long index) {
        return live.term(index);
    }

    @Override
    public long firstIndex() {
        return live.firstIndex();
    }

    @Override
    public long lastIndex() {
        return live.lastIndex();
    }

    @Override
    public Snapshot snapshot() {
        return live.snapshot();
    }
}
