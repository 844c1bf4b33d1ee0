package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request/response over plain loopback sockets: routing, timeouts, slots, remote failures, close. */
class PeerTransportCallTest {

    private static final int ECHO = 1;
    private static final int NEVER_ANSWERS = 2;
    private static final int THROWS = 3;
    private static final int FAILS_ASYNC = 4;
    private static final int HELD = 5;

    private final TestNodes nodes = TestNodes.plain();
    private final LinkedBlockingDeque<HeldRequest> held = new LinkedBlockingDeque<>();

    private record HeldRequest(String text, CompletableFuture<byte[]> response) {
    }

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    private List<TestNode> startPair(TransportConfig config) throws Exception {
        return nodes.startCluster(config, node -> {
            node.transport.registerHandler(ECHO, (peer, payload) ->
                    CompletableFuture.completedFuture(bytes(peer + " said " + text(payload))));
            node.transport.registerHandler(NEVER_ANSWERS, (peer, payload) -> new CompletableFuture<>());
            node.transport.registerHandler(THROWS, (peer, payload) -> {
                throw new IllegalStateException("handler exploded");
            });
            node.transport.registerHandler(FAILS_ASYNC, (peer, payload) ->
                    CompletableFuture.failedFuture(new IllegalArgumentException("bad key " + text(payload))));
            node.transport.registerHandler(HELD, (peer, payload) -> {
                CompletableFuture<byte[]> response = new CompletableFuture<>();
                held.add(new HeldRequest(text(payload), response));
                return response;
            });
        }, "a", "b");
    }

    @Test
    void responsesAreRoutedToTheirCallsWhateverOrderTheyComeBackIn() throws Exception {
        TestNode a = startPair(TransportConfig.defaults()).get(0);
        int calls = 20;
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(a.transport.call("b", HELD, bytes("q" + i), TestTimeouts.eventually()));
        }
        await().atMost(TestTimeouts.eventually()).until(() -> held.size() == calls);
        // Answer newest first so responses arrive in the reverse order of the requests.
        HeldRequest request;
        while ((request = held.pollLast()) != null) {
            request.response().complete(bytes("answer to " + request.text()));
        }
        for (int i = 0; i < calls; i++) {
            assertThat(text(futures.get(i).get(TestTimeouts.eventually().toSeconds(), TimeUnit.SECONDS)))
                    .isEqualTo("answer to q" + i);
        }
        assertThat(text(a.transport.call("b", ECHO, bytes("hi"), TestTimeouts.eventually()).get()))
                .isEqualTo("a said hi");
    }

    @Test
    void callsTimeOutAndFreeTheirSlots() throws Exception {
        TestNode a = startPair(TransportConfig.defaults().withMaxOutstandingCallsPerPeer(2)).get(0);
        Duration shortTimeout = Duration.ofMillis(300);

        for (int round = 0; round < 2; round++) {
            CompletableFuture<byte[]> first = a.transport.call("b", NEVER_ANSWERS, bytes("1"), shortTimeout);
            CompletableFuture<byte[]> second = a.transport.call("b", NEVER_ANSWERS, bytes("2"), shortTimeout);
            CompletableFuture<byte[]> third = a.transport.call("b", ECHO, bytes("3"), TestTimeouts.eventually());
            assertThat(failureReason(third)).isEqualTo(TransportException.Reason.OVERLOADED);

            assertThat(failureReason(first)).isEqualTo(TransportException.Reason.TIMEOUT);
            assertThat(failureReason(second)).isEqualTo(TransportException.Reason.TIMEOUT);
        }
        assertThat(text(a.transport.call("b", ECHO, bytes("freed"), TestTimeouts.eventually()).get()))
                .isEqualTo("a said freed");
    }

    @Test
    void remoteFailuresComeBackWithTheirReason() throws Exception {
        TestNode a = startPair(TransportConfig.defaults()).get(0);
        Duration timeout = TestTimeouts.eventually();

        CompletableFuture<byte[]> thrown = a.transport.call("b", THROWS, bytes("x"), timeout);
        assertThat(failureReason(thrown)).isEqualTo(TransportException.Reason.REMOTE_FAILURE);
        assertThat(failure(thrown)).hasMessageContaining("handler exploded");

        CompletableFuture<byte[]> failed = a.transport.call("b", FAILS_ASYNC, bytes("k1"), timeout);
        assertThat(failure(failed)).hasMessageContaining("bad key k1");

        assertThat(failureReason(a.transport.call("b", 99, bytes("x"), timeout)))
                .isEqualTo(TransportException.Reason.NO_HANDLER);
        assertThat(failureReason(a.transport.call("nobody", ECHO, bytes("x"), timeout)))
                .isEqualTo(TransportException.Reason.UNKNOWN_PEER);
        assertThat(text(a.transport.call("b", ECHO, bytes("still fine"), timeout).get()))
                .isEqualTo("a said still fine");
    }

    @Test
    void losingTheConnectionFailsOutstandingCallsAndClosingFailsTheRest() throws Exception {
        List<TestNode> pair = startPair(TransportConfig.defaults());
        TestNode a = pair.get(0);
        TestNode b = pair.get(1);
        CompletableFuture<byte[]> toB = a.transport.call("b", NEVER_ANSWERS, bytes("x"), TestTimeouts.eventually());
        CompletableFuture<byte[]> toA = b.transport.call("a", NEVER_ANSWERS, bytes("y"), TestTimeouts.eventually());
        await().atMost(TestTimeouts.eventually()).until(() -> b.stats("a").framesIn() == 1);

        b.close();

        assertThat(failureReason(toB)).isEqualTo(TransportException.Reason.CONNECTION_LOST);
        assertThat(failureReason(toA)).isEqualTo(TransportException.Reason.CLOSED);

        CompletableFuture<byte[]> pending = a.transport.call("b", ECHO, bytes("z"), TestTimeouts.eventually());
        a.close();
        // Whether a has noticed b's connection is gone before this call is a race (a loaded machine
        // loses it often): the call may go out on the dying connection, or be refused unsent once a knows
        // the connection is gone. Either way it fails at once.
        assertThat(failureReason(pending)).isIn(TransportException.Reason.CLOSED, TransportException.Reason.CONNECTION_LOST,
                TransportException.Reason.UNREACHABLE);
        assertThat(failureReason(a.transport.call("b", ECHO, bytes("late"), TestTimeouts.eventually())))
                .isEqualTo(TransportException.Reason.CLOSED);
    }

    @Test
    void callsToAPeerThatCannotBeDialledFailAtOnceUnsent() throws Exception {
        List<TestNode> pair = startPair(TransportConfig.defaults());
        TestNode a = pair.get(0);
        pair.get(1).close();
        // Once a's redial has failed, a call is refused unsent instead of waiting out its (long) timeout.
        Duration patient = Duration.ofMinutes(5);
        await().atMost(TestTimeouts.eventually()).until(() -> {
            CompletableFuture<byte[]> call = a.transport.call("b", ECHO, bytes("x"), patient);
            return call.isCompletedExceptionally() && failureReason(call) == TransportException.Reason.UNREACHABLE;
        });
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() throws Exception {
        TestNode a = startPair(TransportConfig.defaults().withMaxFrameBytes(1024)).get(0);
        byte[] tooLarge = new byte[1024];
        assertThatThrownBy(() -> a.transport.send("b", tooLarge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the limit");
        assertThatThrownBy(
                        () -> a.transport.call("b", ECHO, bytes("x"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(a.transport::start)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        assertThatThrownBy(
                        () -> TransportConfig.defaults().withSendQueue(0, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendQueueMaxFrames");
        assertThatThrownBy(() -> TransportConfig.defaults()
                        .withReconnectBackoff(Duration.ofSeconds(5), Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectBackoffMax");
    }

    static TransportException.Reason failureReason(CompletableFuture<?> future) {
        Throwable failure = failure(future);
        assertThat(failure).isInstanceOf(TransportException.class);
        return ((TransportException) failure).reason();
    }

    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not fail in time", e);
        }
        throw new AssertionError("future succeeded but a failure was expected");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

}
