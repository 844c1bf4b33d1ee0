package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Messages per second of 100-byte one-way messages between two transports on loopback. Not part of the
 * default suite (the class name matches no Surefire include pattern); run it explicitly:
 *
 * <pre>./mvnw -B -ntp -q test -Dtest=TransportThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>The sender spins (yielding) whenever the bounded queue refuses a message, so the figure is what the
 * writer, the socket and the reader sustain, not what the queue absorbs.
 */
class TransportThroughputBenchmark {

    private static final int PAYLOAD_BYTES = 100;
    private static final int WARMUP_MESSAGES = 200_000;
    private static final int MEASURED_MESSAGES = Integer.getInteger("ratchet.bench.messages", 2_000_000);

    @Test
    void tlsThroughput() throws Exception {
        try (TestNodes nodes = TestNodes.tls()) {
            measure("TLS", nodes);
        }
    }

    @Test
    void plainThroughput() throws Exception {
        try (TestNodes nodes = TestNodes.plain()) {
            measure("plain", nodes);
        }
    }

    private static void measure(String label, TestNodes nodes) throws Exception {
        LongAdder delivered = new LongAdder();
        List<TestNode> pair = nodes.startCluster(TransportConfig.defaults(),
                node -> { }, "sender", "receiver");
        pair.get(1).transport.setMessageConsumer((peer, payload) -> delivered.increment());
        TestNode sender = pair.get(0);
        byte[] payload = new byte[PAYLOAD_BYTES];

        pump(sender, payload, WARMUP_MESSAGES);
        await().atMost(Duration.ofMinutes(2)).until(() -> delivered.sum() == WARMUP_MESSAGES);

        long start = System.nanoTime();
        long refusals = pump(sender, payload, MEASURED_MESSAGES);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> delivered.sum() == WARMUP_MESSAGES + (long) MEASURED_MESSAGES);
        double seconds = (System.nanoTime() - start) / 1e9;

        TransportStats.PeerStats stats = sender.stats("receiver");
        System.out.printf("%s: %,d messages of %d bytes in %.2f s = %,.0f messages/s (%.1f MB/s of frames), "
                        + "%,d queue refusals retried, %d connections opened%n",
                label, MEASURED_MESSAGES, PAYLOAD_BYTES, seconds, MEASURED_MESSAGES / seconds,
                stats.bytesOut() / seconds / 1e6 * MEASURED_MESSAGES / (WARMUP_MESSAGES + MEASURED_MESSAGES),
                refusals, stats.connectionsOpened());
        assertThat(stats.connectionsOpened()).isEqualTo(2);
    }

    private static long pump(TestNode sender, byte[] payload, int count) {
        long refusals = 0;
        for (int i = 0; i < count; i++) {
            while (!sender.transport.send("receiver", payload)) {
                refusals++;
                Thread.yield();
            }
        }
        return refusals;
    }
}
