package dev.ratchet.transport;

import static dev.ratchet.transport.PeerTransportCallTest.bytes;
import static dev.ratchet.transport.PeerTransportCallTest.failure;
import static dev.ratchet.transport.PeerTransportCallTest.failureReason;
import static dev.ratchet.transport.PeerTransportCallTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streamed responses: order, credit-based back-pressure, failures on either side, idle timeout. */
class PeerTransportStreamTest {

    private static final int NUMBERED_CHUNKS = 20;
    private static final int FAILS_MIDWAY = 21;
    private static final int SILENT = 22;
    private static final int WINDOW = 4;

    private final TestNodes nodes = TestNodes.plain();
    private final AtomicInteger chunksSent = new AtomicInteger();
    private final AtomicReference<Thread> producerThread = new AtomicReference<>();
    private final AtomicReference<Exception> producerFailure = new AtomicReference<>();
    private final CountDownLatch releaseSilentProducer = new CountDownLatch(1);

    @AfterEach
    void closeNodes() {
        releaseSilentProducer.countDown();
        nodes.close();
    }

    private TestNode startPair(Duration idleTimeout) throws Exception {
        return startPair(TransportConfig.defaults().withStream(WINDOW, idleTimeout));
    }

    private TestNode startPair(TransportConfig config) throws Exception {
        return nodes.startCluster(config, node -> {
            node.transport.registerStreamHandler(NUMBERED_CHUNKS, (peer, payload, sink) -> {
                producerThread.set(Thread.currentThread());
                int count = Integer.parseInt(text(payload));
                try {
                    for (int i = 0; i < count; i++) {
                        sink.send(bytes("chunk-" + i + "-" + "x".repeat(i % 97)));
                        chunksSent.incrementAndGet();
                    }
                } catch (IOException e) {
                    producerFailure.set(e);
                    throw e;
                }
            });
            node.transport.registerStreamHandler(FAILS_MIDWAY, (peer, payload, sink) -> {
                sink.send(bytes("first"));
                throw new IllegalStateException("disk read failed");
            });
            node.transport.registerStreamHandler(SILENT, (peer, payload, sink) ->
                    releaseSilentProducer.await(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS));
        }, "a", "b").get(0);
    }

    @Test
    void chunksArriveInOrderAndTheProducerNeverRunsAheadOfTheCreditWindow() throws Exception {
        TestNode a = startPair(TestTimeouts.eventually());
        int count = 300;
        Semaphore consumerPermits = new Semaphore(0);
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> windowViolations = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> done = a.transport.callStream("b", NUMBERED_CHUNKS, bytes(String.valueOf(count)),
                chunk -> {
                    int alreadyConsumed = received.size();
                    if (chunksSent.get() > alreadyConsumed + WINDOW) {
                        windowViolations.add("sent " + chunksSent.get() + " with " + alreadyConsumed + " consumed");
                    }
                    consumerPermits.acquire();
                    received.add(text(chunk));
                });

        // With the consumer held, the producer sends one window and then waits for credit.
        await().atMost(TestTimeouts.eventually()).until(() -> chunksSent.get() == WINDOW
                && producerThread.get() != null
                && producerThread.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(received).isEmpty();

        consumerPermits.release(count);
        done.get(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS);

        assertThat(received).isEqualTo(IntStream.range(0, count)
                .mapToObj(i -> "chunk-" + i + "-" + "x".repeat(i % 97)).toList());
        assertThat(windowViolations).isEmpty();
        assertThat(a.stats("b").connectionsOpened()).isEqualTo(2);
    }

    @Test
    void aFailingProducerFailsTheStreamAtTheReceiver() throws Exception {
        TestNode a = startPair(TestTimeouts.eventually());
        List<String> received = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> done = a.transport.callStream("b", FAILS_MIDWAY, bytes(""),
                chunk -> received.add(text(chunk)));

        assertThat(failureReason(done)).isEqualTo(TransportException.Reason.REMOTE_FAILURE);
        assertThat(failure(done)).hasMessageContaining("disk read failed");
        assertThat(failureReason(a.transport.callStream("b", 77, bytes(""), chunk -> { })))
                .isEqualTo(TransportException.Reason.NO_HANDLER);
    }

    @Test
    void aFailingConsumerCancelsTheStreamAndStopsTheProducer() throws Exception {
        TestNode a = startPair(TestTimeouts.eventually());
        IllegalStateException consumerFailure = new IllegalStateException("checksum mismatch");

        CompletableFuture<Void> done = a.transport.callStream("b", NUMBERED_CHUNKS, bytes("100000"), chunk -> {
            if (text(chunk).startsWith("chunk-10-")) {
                throw consumerFailure;
            }
        });

        assertThat(failure(done)).isSameAs(consumerFailure);
        await().atMost(TestTimeouts.eventually()).until(() -> producerFailure.get() != null);
        assertThat(producerFailure.get()).hasMessageContaining("cancelled by the receiver");
        assertThat(chunksSent.get()).isLessThan(100_000);
    }

    @Test
    void aStreamWithoutProgressTimesOutAndFreesItsSlot() throws Exception {
        // One slot: the second stream can only start if the timed-out one gave its slot back.
        TestNode a = startPair(TransportConfig.defaults()
                .withStream(WINDOW, TestTimeouts.scaled(Duration.ofSeconds(1)))
                .withMaxOutstandingCallsPerPeer(1));

        CompletableFuture<Void> silent = a.transport.callStream("b", SILENT, bytes(""), chunk -> { });

        assertThat(failureReason(silent)).isEqualTo(TransportException.Reason.TIMEOUT);
        releaseSilentProducer.countDown();
        List<String> received = new CopyOnWriteArrayList<>();
        a.transport.callStream("b", NUMBERED_CHUNKS, bytes("3"), chunk -> received.add(text(chunk)))
                .get(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received).hasSize(3);
    }
}
