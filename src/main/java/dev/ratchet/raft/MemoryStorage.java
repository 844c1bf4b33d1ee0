package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DurableStorage} in memory, for tests, simulations and benchmarks: every write is "durable" at
 * once and {@link #sync()} does nothing. {@link #copy()} gives an independent copy (the simulator's disk
 * keeps one as its synced image).
 *
 * <p>Snapshots drop the log through their index unless the storage was made with a catch-up margin
 * ({@link #MemoryStorage(long)}), as the file storage keeps one.
 *
 * <p>Not thread-safe (single writer, as the contract says).
 */
public final class MemoryStorage implements DurableStorage {

    private final long catchUpEntries;
    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    /** Entries from {@link #first} on, consecutive; those at or below the snapshot index are the catch-up margin. */
    private final ArrayList<Entry> log = new ArrayList<>();
    private long first = 1;
    private boolean closed;

    /** A storage that drops the log through each snapshot's index. */
    public MemoryStorage() {
        this(0);
    }

    /**
     * A storage that keeps up to {@code catchUpEntries} entries at and below each snapshot's index.
     *
     * @throws IllegalArgumentException if the margin is negative
     */
    public MemoryStorage(long catchUpEntries) {
        if (catchUpEntries < 0) {
            throw new IllegalArgumentException("catchUpEntries must be >= 0, was " + catchUpEntries);
        }
        this.catchUpEntries = catchUpEntries;
    }

    public MemoryStorage copy() {
        MemoryStorage c = new MemoryStorage(catchUpEntries);
        c.hardState = hardState;
        c.snapshot = snapshot;
        c.log.addAll(log);
        c.first = first;
        return c;
    }

    private long snapIndex() {
        return snapshot.metadata().index();
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public ConfState confState() {
        ConfState conf = snapshot.metadata().conf();
        for (Entry e : log) {
            if (e.index() > snapIndex() && e.type() == EntryType.CONF_CHANGE) {
                conf = ConfChange.applyEntry(conf, e.data());
            }
        }
        return conf;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < first) {
            throw new LogCompactedException(lo, snapIndex());
        }
        if (hi > lastIndex() + 1) {
            throw new EntryUnavailableException(hi - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = log.get((int) (i - first));
            if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeBytes();
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long index) {
        if (index == snapIndex()) {
            return snapshot.metadata().term();
        }
        if (index < first) {
            throw new LogCompactedException(index, snapIndex());
        }
        if (index > lastIndex()) {
            throw new EntryUnavailableException(index, lastIndex());
        }
        return log.get((int) (index - first)).term();
    }

    @Override
    public long firstIndex() {
        return first;
    }

    @Override
    public long lastIndex() {
        return Math.max(snapIndex(), first + log.size() - 1);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public void append(List<Entry> entries) {
        requireOpen();
        if (entries.isEmpty()) {
            return;
        }
        long start = entries.get(0).index();
        if (start <= snapIndex() || start > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + start + " outside [" + (snapIndex() + 1) + ", "
                    + (lastIndex() + 1) + "]");
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() != start + i) {
                throw new IllegalArgumentException("entries are not consecutive at " + entries.get(i).index());
            }
        }
        log.subList((int) (start - first), log.size()).clear();
        log.addAll(entries);
    }

    @Override
    public void setHardState(HardState hs) {
        requireOpen();
        if (hs.commit() < hardState.commit()) {
            throw new IllegalArgumentException("commit would decrease from " + hardState.commit() + " to " + hs.commit());
        }
        hardState = hs;
    }

    @Override
    public void installSnapshot(Snapshot snap) {
        requireOpen();
        long index = snap.metadata().index();
        boolean keepTail = index <= lastIndex() && index >= snapIndex() && term(index) == snap.metadata().term();
        if (keepTail) {
            compactBelow(index);
        } else {
            log.clear();
            first = index + 1;
        }
        snapshot = snap;
        if (hardState.commit() < index) {
            hardState = new HardState(hardState.term(), hardState.votedFor(), index);
        }
    }

    @Override
    public void saveLocalSnapshot(Snapshot snap) {
        requireOpen();
        long index = snap.metadata().index();
        if (index <= snapIndex()) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " is beyond the last index " + lastIndex());
        }
        if (term(index) != snap.metadata().term()) {
            throw new IllegalArgumentException("snapshot term " + snap.metadata().term() + " differs from the log's "
                    + term(index) + " at " + index);
        }
        compactBelow(index);
        snapshot = snap;
    }

    /** Drops the log through {@code index} less the catch-up margin. */
    private void compactBelow(long index) {
        long keepFrom = Math.max(first, index + 1 - catchUpEntries);
        log.subList(0, (int) (keepFrom - first)).clear();
        first = keepFrom;
    }

    @Override
    public void sync() {
        requireOpen();
    }

    @Override
    public PendingSync startSync() {
        requireOpen();
        // Nothing to force (memory is all there is), but a new object each time: callers tell syncs apart.
        return new PendingSync() {
            @Override
            public void force() {
            }

            @Override
            public boolean failed() {
                return false;
            }
        };
    }

    @Override
    public void finishSync(PendingSync pending) {
        requireOpen();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new StorageException("storage is closed");
        }
    }
}
