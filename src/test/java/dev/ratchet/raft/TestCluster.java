package dev.ratchet.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A readable in-memory cluster for unit tests: synchronous, deterministic, no clock. Nodes persist each
 * Ready into a {@link MemoryStorage} and queue its messages; {@link #stabilize()} delivers until nothing is
 * left. Links can be cut per direction ({@link #isolate}, {@link #cut}) and messages inspected before
 * delivery.
 */
final class TestCluster {

    final Map<String, RaftCore> cores = new LinkedHashMap<>();
    final Map<String, MemoryStorage> storages = new HashMap<>();
    final Map<String, List<Entry>> applied = new HashMap<>();
    final Map<String, List<ReadState>> readStates = new HashMap<>();
    final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    final List<Message> delivered = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final UnaryOperator<RaftConfig> tune;
    private final long seed;

    TestCluster(List<String> ids, UnaryOperator<RaftConfig> tune, long seed) {
        this.tune = tune;
        this.seed = seed;
        for (String id : ids) {
            MemoryStorage s = new MemoryStorage();
            RaftCore.bootstrap(s, ids);
            add(id, s);
        }
    }

    static TestCluster of(int n) {
        return of(n, c -> c);
    }

    static TestCluster of(int n, UnaryOperator<RaftConfig> tune) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
        }
        return new TestCluster(ids, tune, 42);
    }

    /** Starts (or restarts) a node over the given storage. */
    RaftCore add(String id, MemoryStorage storage) {
        storages.put(id, storage);
        RaftCore core = new RaftCore(tune.apply(RaftConfig.defaults(id)), storage,
                new SplittableRandom(seed + id.hashCode()));
        cores.put(id, core);
        applied.computeIfAbsent(id, k -> new ArrayList<>());
        readStates.computeIfAbsent(id, k -> new ArrayList<>());
        return core;
    }

    RaftCore core(String id) {
        return cores.get(id);
    }

    /** Drives every node's Ready cycle once, queueing the messages. */
    void processReadies() {
        boolean any = true;
        while (any) {
            any = false;
            for (var e : cores.entrySet()) {
                RaftCore core = e.getValue();
                while (core.hasReady()) {
                    any = true;
                    handle(e.getKey(), core, core.ready());
                }
            }
        }
    }

    private void handle(String id, RaftCore core, Ready rd) {
        MemoryStorage s = storages.get(id);
        if (rd.snapshot() != null) {
            s.installSnapshot(rd.snapshot());
            applied.get(id).clear();
        }
        s.append(rd.entries());
        if (rd.hardState() != null) {
            s.setHardState(rd.hardState());
        }
        s.sync();
        inFlight.addAll(rd.messages());
        inFlight.addAll(rd.messagesAfterPersist());
        applied.get(id).addAll(rd.committedEntries());
        readStates.get(id).addAll(rd.readStates());
        core.advance(rd);
    }

    /** Delivers every queued message (and whatever they cause) until the cluster is quiet. */
    void stabilize() {
        processReadies();
        int rounds = 0;
        while (!inFlight.isEmpty()) {
            if (++rounds > 100_000) {
                throw new AssertionError("cluster did not stabilize");
            }
            deliverOne();
        }
    }

    void deliverOne() {
        Message m = inFlight.poll();
        if (!cut.contains(m.from() + ">" + m.to()) && cores.containsKey(m.to())) {
            delivered.add(m);
            cores.get(m.to()).step(m);
        }
        processReadies();
    }

    /** Drops every queued message. */
    void dropInFlight() {
        inFlight.clear();
    }

    List<Message> takeInFlight() {
        List<Message> out = new ArrayList<>(inFlight);
        inFlight.clear();
        return out;
    }

    void tick(String id, int ticks) {
        for (int i = 0; i < ticks; i++) {
            cores.get(id).tick();
            processReadies();
        }
    }

    /** Ticks every node once per round, stabilizing in between. */
    void tickAll(int rounds) {
        for (int i = 0; i < rounds; i++) {
            cores.values().forEach(RaftCore::tick);
            stabilize();
        }
    }

    /**
     * Makes {@code id} campaign by ticking it past its election timeout. If the others still honour a
     * leader's lease (they do not tick here), it campaigns as a leadership-transfer target would.
     */
    void elect(String id) {
        RaftCore c = cores.get(id);
        for (int i = 0; i < 25 && c.role() != Role.LEADER; i++) {
            c.tick();
            stabilize();
        }
        if (c.role() != Role.LEADER) {
            c.step(new Message.TimeoutNow(id, id, c.term()));
            stabilize();
        }
        if (c.role() != Role.LEADER) {
            throw new AssertionError(id + " was not elected: " + c.status());
        }
    }

    void cut(String from, String to) {
        cut.add(from + ">" + to);
    }

    void isolate(String id) {
        for (String other : cores.keySet()) {
            if (!other.equals(id)) {
                cut(id, other);
                cut(other, id);
            }
        }
    }

    /** Cuts every link between a node of {@code side} and a node of {@code otherSide}, both ways. */
    void split(List<String> side, List<String> otherSide) {
        for (String a : side) {
            for (String b : otherSide) {
                cut(a, b);
                cut(b, a);
            }
        }
    }

    /**
     * Ticks {@code id} alone, delivering one message at a time, and stops the moment it becomes leader: its
     * no-op and first appends are still queued, nothing of its term has committed yet.
     */
    void campaignUntilLeader(String id, int maxTicks) {
        RaftCore c = cores.get(id);
        for (int i = 0; i < maxTicks && c.role() != Role.LEADER; i++) {
            c.tick();
            processReadies();
            while (!inFlight.isEmpty() && c.role() != Role.LEADER) {
                deliverOne();
            }
        }
        if (c.role() != Role.LEADER) {
            throw new AssertionError(id + " was not elected within " + maxTicks + " ticks: " + c.status());
        }
    }

    void heal() {
        cut.clear();
    }

    List<byte[]> appliedCommands(String id) {
        return applied.get(id).stream().filter(e -> e.type() == EntryType.COMMAND).map(Entry::data).toList();
    }

    RaftCore leader() {
        return cores.values().stream().filter(c -> c.role() == Role.LEADER).findFirst().orElse(null);
    }
}
