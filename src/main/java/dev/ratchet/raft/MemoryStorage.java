package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DurableStorage} in memory, for tests, simulations and benchmarks: every write is "durable" at
 * once and {@link #sync()} does nothing. {@link #copy()} gives an independent copy (the simulator's disk
 * keeps one as its synced image).
 *
 * <p>Not thread-safe (single writer, as the contract says).
 */
public final class MemoryStorage implements DurableStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    /** Entries after the snapshot index, consecutive. */
    private final ArrayList<Entry> log = new ArrayList<>();
    private boolean closed;

    public MemoryStorage copy() {
        MemoryStorage c = new MemoryStorage();
        c.hardState = hardState;
        c.snapshot = snapshot;
        c.log.addAll(log);
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
            if (e.type() == EntryType.CONF_CHANGE) {
                conf = ConfChange.applyEntry(conf, e.data());
            }
        }
        return conf;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo <= snapIndex()) {
            throw new LogCompactedException(lo, snapIndex());
        }
        if (hi > lastIndex() + 1) {
            throw new EntryUnavailableException(hi - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = log.get((int) (i - snapIndex() - 1));
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
        if (index < snapIndex()) {
            throw new LogCompactedException(index, snapIndex());
        }
        if (index > lastIndex()) {
            throw new EntryUnavailableException(index, lastIndex());
        }
        return log.get((int) (index - snapIndex() - 1)).term();
    }

    @Override
    public long firstIndex() {
        return snapIndex() + 1;
    }

    @Override
    public long lastIndex() {
        return snapIndex() + log.size();
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
        long first = entries.get(0).index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + first + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() != first + i) {
                throw new IllegalArgumentException("entries are not consecutive at " + entries.get(i).index());
            }
        }
        log.subList((int) (first - firstIndex()), log.size()).clear();
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
            log.subList(0, (int) (index - snapIndex())).clear();
        } else {
            log.clear();
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
        log.subList(0, (int) (index - snapIndex())).clear();
        snapshot = snap;
    }

    @Override
    public void sync() {
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
