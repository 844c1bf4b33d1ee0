package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A simulated disk: writes are visible at once but reach the durable image only at {@link #sync()}; a
 * {@link #crash} keeps a random prefix of the unsynced writes and loses the rest, as the
 * {@link DurableStorage} contract allows.
 */
final class SimDisk implements DurableStorage {

    private MemoryStorage live = new MemoryStorage();
    private final MemoryStorage durable = new MemoryStorage();
    private final List<Consumer<MemoryStorage>> unsynced = new ArrayList<>();

    private void write(Consumer<MemoryStorage> op) {
        op.accept(live);
        unsynced.add(op);
    }

    /** Power loss: the live view becomes the durable image plus a random prefix of the unsynced writes. */
    void crash(RandomGenerator random) {
        int kept = random.nextInt(unsynced.size() + 1);
        for (int i = 0; i < kept; i++) {
            unsynced.get(i).accept(durable);
        }
        unsynced.clear();
        live = durable.copy();
    }

    @Override
    public void append(List<Entry> entries) {
        List<Entry> copy = List.copyOf(entries);
        write(s -> s.append(copy));
    }

    @Override
    public void setHardState(HardState hardState) {
        write(s -> s.setHardState(hardState));
    }

    @Override
    public void installSnapshot(Snapshot snapshot) {
        write(s -> s.installSnapshot(snapshot));
    }

    @Override
    public void saveLocalSnapshot(Snapshot snapshot) {
        write(s -> s.saveLocalSnapshot(snapshot));
    }

    @Override
    public void sync() {
        unsynced.forEach(op -> op.accept(durable));
        unsynced.clear();
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
