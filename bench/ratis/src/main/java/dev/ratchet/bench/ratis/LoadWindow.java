package dev.ratchet.bench.ratis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Runs one closed-loop window: {@code clients} threads, each doing one request at a time until a
 * deadline it checks itself, recording each success's latency (send to answer, microseconds, 3
 * significant digits) and counting every failure — an exception, an unsuccessful reply, or a read
 * whose value is not the seeded size. Failure causes are tallied (at most {@link #MAX_ERROR_KINDS}
 * kinds) and printed after the window. Blocks the calling thread for the window's length.
 */
final class LoadWindow {

    /** Distinct read keys per value size, seeded before the read windows. */
    static final int READ_KEYS = 1000;
    static final int MAX_ERROR_KINDS = 20;

    private final List<RaftClient> raftClients;
    private final int nodes;

    LoadWindow(List<RaftClient> raftClients, int nodes) {
        this.raftClients = List.copyOf(raftClients);
        this.nodes = nodes;
    }

    static String readKey(int valueBytes, int k) {
        return "r" + valueBytes + "-" + k;
    }

    /** Runs the window and returns its row; {@code staleTargets} are the peers stale reads go to. */
    WindowResult run(Workload workload, int valueBytes, int clients, int seconds, List<RaftPeerId> staleTargets)
            throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        Histogram[] latencies = new Histogram[clients];
        List<Thread> threads = new ArrayList<>(clients);
        long begin = System.nanoTime();
        long deadline = begin + seconds * 1_000_000_000L;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Histogram h = new Histogram(3);
            latencies[c] = h;
            RaftClient raft = raftClients.get(c % raftClients.size());
            RaftPeerId staleTarget = staleTargets.get(c % staleTargets.size());
            Thread t = new Thread(() -> {
                byte[] value = new byte[valueBytes];
                ByteBuffer stamp = ByteBuffer.wrap(value);
                for (long i = 0; System.nanoTime() - deadline < 0; i++) {
                    long start = System.nanoTime();
                    String error;
                    try {
                        error = once(raft, workload, client, i, value, stamp, staleTarget);
                    } catch (IOException | RuntimeException e) {
                        error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    long micros = (System.nanoTime() - start) / 1000;
                    if (error == null) {
                        h.recordValue(Math.max(1, micros));
                        ok.increment();
                    } else {
                        failed.increment();
                        tally(errors, error);
                    }
                }
            }, "bench-" + workload.jsonName() + "-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        Histogram all = new Histogram(3);
        for (Histogram h : latencies) {
            all.add(h);
        }
        errors.forEach((message, count) -> System.err.printf("  %s x%d: %s%n", workload.jsonName(), count.sum(), message));
        boolean any = all.getTotalCount() > 0;
        return new WindowResult("ratis", nodes, workload.jsonName(), valueBytes, clients, elapsed, ok.sum(),
                failed.sum(), ok.sum() / elapsed, any ? all.getValueAtPercentile(50) / 1000.0 : 0,
                any ? all.getValueAtPercentile(99) / 1000.0 : 0, any ? all.getValueAtPercentile(99.9) / 1000.0 : 0,
                all.getMaxValue() / 1000.0);
    }

    /** One request; null on success, else what went wrong. */
    private static String once(RaftClient raft, Workload workload, int client, long i, byte[] value, ByteBuffer stamp,
            RaftPeerId staleTarget) throws IOException {
        RaftClientReply reply;
        switch (workload) {
            case WRITE -> {
                if (value.length >= Long.BYTES) {
                    stamp.putLong(0, System.nanoTime() ^ ((long) client << 48) ^ i);
                }
                reply = raft.io().send(KvCommands.put("c" + client + "-" + (i % 1000), value));
                return reply.isSuccess() ? null : "unsuccessful reply: " + reply.getException();
            }
            case READ_LINEARIZABLE -> reply = raft.io().sendReadOnly(KvCommands.get(readKey(value.length, readIndex(client, i))));
            case READ_STALE -> reply = raft.io().sendStaleRead(KvCommands.get(readKey(value.length, readIndex(client, i))),
                    0, staleTarget);
            default -> throw new IllegalStateException("unhandled workload " + workload);
        }
        if (!reply.isSuccess()) {
            return "unsuccessful reply: " + reply.getException();
        }
        Message answer = reply.getMessage();
        int size = answer == null ? -1 : answer.getContent().size();
        return size == value.length ? null : "read returned " + size + " bytes, expected " + value.length;
    }

    private static int readIndex(int client, long i) {
        return (int) ((client * 31L + i) % READ_KEYS);
    }

    private static void tally(Map<String, LongAdder> errors, String message) {
        String key = message.length() > 300 ? message.substring(0, 300) + "..." : message;
        LongAdder count = errors.get(key);
        if (count == null && errors.size() < MAX_ERROR_KINDS) {
            count = errors.computeIfAbsent(key, k -> new LongAdder());
        }
        if (count == null) {
            count = errors.computeIfAbsent("(further kinds of failure not listed)", k -> new LongAdder());
        }
        count.increment();
    }
}
