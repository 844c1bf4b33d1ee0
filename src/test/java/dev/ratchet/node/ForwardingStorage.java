package dev.ratchet.node;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.util.List;

/**
 * A {@link MemoryStorage} behind every method of {@link DurableStorage}, for tests that slow or observe one
 * of them. Thread-safety as the memory storage's.
 */
class ForwardingStorage implements DurableStorage {

    final MemoryStorage inner = new MemoryStorage();

    @Override
    public PendingSync startSync() {
        return inner.startSync();
    }

    @Override
    public void finishSync(PendingSync pending) {
        inner.finishSync(pending);
    }

    @Override
    public void append(List<Entry> entries) {
        inner.append(entries);
    }

    @Override
    public void setHardState(HardState hardState) {
        inner.setHardState(hardState);
    }

    @Override
    public void installSnapshot(Snapshot snapshot) {
        inner.installSnapshot(snapshot);
    }

    @Override
    public void saveLocalSnapshot(Snapshot snapshot) {
        inner.saveLocalSnapshot(snapshot);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public HardState hardState() {
        return inner.hardState();
    }

    @Override
    public ConfState confState() {
        return inner.confState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        return inner.entries(lo, hi, maxBytes);
    }

    @Override
    public long term(long index) {
        return inner.term(index);
    }

    @Override
    public long firstIndex() {
        return inner.firstIndex();
    }

    @Override
    public long lastIndex() {
        return inner.lastIndex();
    }

    @Override
    public Snapshot snapshot() {
        return inner.snapshot();
    }

    @Override
    public SnapshotMetadata snapshotMetadata() {
        return inner.snapshotMetadata();
    }

    @Override
    public void writeSnapshotFile(Snapshot snapshot) {
        inner.writeSnapshotFile(snapshot);
    }

    @Override
    public boolean adoptLocalSnapshot(Snapshot snapshot) {
        return inner.adoptLocalSnapshot(snapshot);
    }
}
