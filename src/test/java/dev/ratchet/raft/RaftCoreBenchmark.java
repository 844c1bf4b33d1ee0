package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the bare core: entries committed (and applied on every node) per second of CPU for a 3-node
 * in-memory cluster on one thread, no I/O, messages optionally passed through {@link MessageCodec}. Not a
 * timed test: run with {@code ./mvnw -q test -Dtest=RaftCoreBenchmark -Dratchet.benchmark=true}; results go to
 * {@code target/benchmarks/raft-core.json}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "ratchet.benchmark", matches = "true")
class RaftCoreBenchmark {

    private static final int PAYLOAD = 128;
    private static final int BATCH = 64;

    @Test
    void committedEntriesPerCpuSecond() throws Exception {
        run(20_000, false);
        double plain = run(400_000, false);
        double codec = run(200_000, true);
        Path out = Path.of("target/benchmarks/raft-core.json");
        Files.createDirectories(out.getParent());
        String json = String.format(
                "{\"benchmark\":\"raft-core\",\"nodes\":3,\"payloadBytes\":%d,\"proposalBatch\":%d,"
                        + "\"entriesPerCpuSecond\":%.0f,\"entriesPerCpuSecondWithCodec\":%.0f,\"java\":\"%s\"}%n",
                PAYLOAD, BATCH, plain, codec, System.getProperty("java.version"));
        Files.writeString(out, json);
        System.out.print(json);
        assertThat(plain).isPositive();
    }

    private static double run(int entries, boolean codec) {
        List<String> ids = List.of("n1", "n2", "n3");
        Map<String, RaftCore> cores = new LinkedHashMap<>();
        Map<String, MemoryStorage> disks = new LinkedHashMap<>();
        Map<String, Long> applied = new LinkedHashMap<>();
        for (String id : ids) {
            MemoryStorage s = new MemoryStorage();
            RaftCore.bootstrap(s, ids);
            disks.put(id, s);
            cores.put(id, new RaftCore(RaftConfig.defaults(id), s, new SplittableRandom(1)));
            applied.put(id, 0L);
        }
        ArrayDeque<Message> wire = new ArrayDeque<>();
        RaftCore leader = cores.get("n1");
        while (leader.role() != Role.LEADER) {
            leader.tick();
            pump(cores, disks, applied, wire, codec);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        long target = leader.status().lastIndex() + entries;
        byte[] payload = new byte[PAYLOAD];
        while (leader.commitIndex() < target) {
            for (int i = 0; i < BATCH && leader.status().lastIndex() < target; i++) {
                leader.propose(payload);
            }
            pump(cores, disks, applied, wire, codec);
        }
        long cpu = mx.getCurrentThreadCpuTime() - start;
        return entries / (cpu / 1e9);
    }

    private static void pump(Map<String, RaftCore> cores, Map<String, MemoryStorage> disks, Map<String, Long> applied,
                             ArrayDeque<Message> wire, boolean codec) {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (var e : cores.entrySet()) {
                RaftCore core = e.getValue();
                MemoryStorage disk = disks.get(e.getKey());
                while (core.hasReady()) {
                    busy = true;
                    Ready rd = core.ready();
                    wire.addAll(rd.messages());
                    disk.append(rd.entries());
                    if (rd.hardState() != null) {
                        disk.setHardState(rd.hardState());
                    }
                    wire.addAll(rd.messagesAfterPersist());
                    if (!rd.committedEntries().isEmpty()) {
                        Entry last = rd.committedEntries().get(rd.committedEntries().size() - 1);
                        applied.put(e.getKey(), last.index());
                    }
                    core.advance(rd);
                    long a = applied.get(e.getKey());
                    if (a - disk.snapshot().metadata().index() > 20_000) {
                        disk.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(a, disk.term(a), disk.confState()), new byte[0]));
                    }
                }
            }
            while (!wire.isEmpty()) {
                busy = true;
                Message m = wire.poll();
                cores.get(m.to()).step(codec ? MessageCodec.decode(MessageCodec.encode(m)) : m);
            }
        }
    }
}
