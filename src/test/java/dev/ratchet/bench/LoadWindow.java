package dev.ratchet.bench;

import dev.ratchet.cluster.NodeProcess;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One load window: {@code clients} threads, each doing one request at a time until a deadline it checks
 * itself, recording each request's latency (send to answer) in microseconds. Closed loop (as fast as
 * answers come) unless a total rate is given, in which case each client keeps its share of the rate on a
 * fixed schedule (and falls behind rather than bursting when answers are slow). {@link #run} blocks for the
 * window.
 */
final class LoadWindow {

    /** Keys the read workloads read, written once per cluster and value size by {@link #preload}. */
    static final int READ_KEYS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KvClient kv;

    LoadWindow(KvClient kv) {
        this.kv = kv;
    }

    /** Counts and latencies of one finished window. */
    record Result(long ok, long failed, double seconds, Histogram micros) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /**
     * @param targets     the nodes requests go to; client {@code c}'s {@code i}-th request goes to
     *                    {@code targets[(c + i) % size]}
     * @param ratePerSecond total requests per second over all clients, or 0 for closed loop
     */
    Result run(Workload workload, List<NodeProcess> targets, int clients, int valueBytes, Duration length,
            double ratePerSecond) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch done = new CountDownLatch(clients);
        long begin = System.nanoTime();
        long deadline = begin + length.toNanos();
        long interval = ratePerSecond > 0 ? (long) (clients * 1e9 / ratePerSecond) : 0;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                byte[] value = new byte[valueBytes];
                long i = 0;
                while (System.nanoTime() - deadline < 0) {
                    if (interval > 0) {
                        long due = begin + i * interval + (long) client * interval / clients;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(Math.min(wait, deadline - System.nanoTime()));
                            if (System.nanoTime() - deadline >= 0) {
                                break;
                            }
                        }
                    }
                    NodeProcess target = targets.get((int) ((client + i) % targets.size()));
                    long start = System.nanoTime();
                    boolean success = request(workload, target, client, i, value);
                    long micros = (System.nanoTime() - start) / 1000;
                    if (success) {
                        recorder.recordValue(Math.max(1, micros));
                        ok.increment();
                    } else {
                        failed.increment();
                    }
                    i++;
                }
                done.countDown();
            }, "bench-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return new Result(ok.sum(), failed.sum(), (System.nanoTime() - begin) / 1e9, recorder.getIntervalHistogram());
    }

    /** Writes the keys the read workloads read, with values of the given size; false if some failed. */
    boolean preload(NodeProcess leader, int valueBytes) {
        byte[] value = new byte[valueBytes];
        boolean all = true;
        for (int k = 0; k < READ_KEYS; k++) {
            all &= kv.put(leader, readKey(valueBytes, k), value, TIMEOUT);
        }
        return all;
    }

    private boolean request(Workload workload, NodeProcess target, int client, long i, byte[] value) {
        switch (workload) {
            case WRITE:
            case WRITE_SPREAD:
                if (value.length >= 8) {
                    ByteBuffer.wrap(value).putLong(i); // a fresh value each time
                }
                return kv.put(target, "c" + client + "-" + (i % 1000), value, TIMEOUT);
            case READ_LINEARIZABLE:
                return kv.get(target, readKey(value.length, (int) ((client * 31L + i) % READ_KEYS)), false, TIMEOUT);
            case READ_STALE:
                return kv.get(target, readKey(value.length, (int) ((client * 31L + i) % READ_KEYS)), true, TIMEOUT);
            default:
                throw new IllegalStateException("unknown workload " + workload);
        }
    }

    private static String readKey(int valueBytes, int k) {
        return "r" + valueBytes + "-" + k;
    }
}
