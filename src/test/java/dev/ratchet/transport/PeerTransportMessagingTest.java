package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One-way messages over plain loopback sockets: delivery, reconnects, isolation of bad peers, limits. */
class PeerTransportMessagingTest {

    private static final TransportConfig FAST_RECONNECT = TransportConfig.defaults()
            .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private final TestNodes nodes = TestNodes.plain();

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    @Test
    void messagesFlowBothWaysBetweenThreeTransportsOverLongLivedConnections() throws Exception {
        List<TestNode> cluster = nodes.startCluster(FAST_RECONNECT, node -> { }, "a", "b", "c");
        int perPeer = 50;

        sendRound(cluster, "round1", perPeer);
        for (TestNode node : cluster) {
            for (TestNode peer : cluster) {
                if (peer != node) {
                    await().atMost(TestTimeouts.eventually())
                            .until(() -> node.textsFrom(peer.id).size() == perPeer);
                    assertThat(node.textsFrom(peer.id)).isEqualTo(expectedTexts(peer.id, node.id, "round1", perPeer));
                }
            }
        }
        long openedAfterFirstRound = totalConnectionsOpened(cluster);
        // Steady state: one outbound and one inbound connection per pair, nothing more.
        assertThat(openedAfterFirstRound).isEqualTo(3 * 2 * 2);

        sendRound(cluster, "round2", perPeer);
        for (TestNode node : cluster) {
            for (TestNode peer : cluster) {
                if (peer != node) {
                    await().atMost(TestTimeouts.eventually())
                            .until(() -> node.textsFrom(peer.id).size() == 2 * perPeer);
                }
            }
        }
        assertThat(totalConnectionsOpened(cluster)).isEqualTo(openedAfterFirstRound);

        TestNode a = cluster.get(0);
        long expectedBytes = expectedTexts("a", "b", "round1", perPeer).stream()
                .mapToLong(text -> FrameCodec.LENGTH_PREFIX_BYTES + FrameCodec.HEADER_BYTES + text.length()).sum()
                + expectedTexts("a", "b", "round2", perPeer).stream()
                .mapToLong(text -> FrameCodec.LENGTH_PREFIX_BYTES + FrameCodec.HEADER_BYTES + text.length()).sum();
        await().atMost(TestTimeouts.eventually()).until(() -> a.stats("b").framesOut() == 2L * perPeer);
        assertThat(a.stats("b").bytesOut()).isEqualTo(expectedBytes);
        assertThat(cluster.get(1).stats("a").framesIn()).isEqualTo(2L * perPeer);
        assertThat(cluster.get(1).stats("a").bytesIn()).isEqualTo(expectedBytes);
        assertThat(a.stats("b").queueDrops()).isZero();
    }

    @Test
    void aPeerThatIsDownGetsMessagesOnceItComesUpAndAfterItRestarts() throws Exception {
        int port = reserveLoopbackPort();
        InetSocketAddress bAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TestNode a = nodes.create("a", FAST_RECONNECT);
        a.addressBook.put("b", bAddress);
        a.transport.start();

        assertThat(a.send("b", "while-down")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> a.stats("b").dialFailures() >= 2);

        TestNode b = nodes.createPlainOnPort("b", port, FAST_RECONNECT, Map.of("a", a.address()));
        b.transport.start();
        await().atMost(TestTimeouts.eventually()).until(() -> b.textsFrom("a").equals(List.of("while-down")));
        assertThat(a.stats("b").reconnects()).isZero();

        b.close();
        long failuresBeforeRestart = a.stats("b").dialFailures();
        await().atMost(TestTimeouts.eventually()).until(() -> a.stats("b").dialFailures() > failuresBeforeRestart);
        assertThat(a.send("b", "after-restart")).isTrue();

        TestNode restarted = nodes.createPlainOnPort("b", port, FAST_RECONNECT, Map.of("a", a.address()));
        restarted.transport.start();
        await().atMost(TestTimeouts.eventually())
                .until(() -> restarted.textsFrom("a").equals(List.of("after-restart")));
        assertThat(a.stats("b").reconnects()).isEqualTo(1);
    }

    @Test
    void aPeerThatConnectsToUsIsRedialledAtOnceNotAfterTheBackoff() throws Exception {
        // A restarted node dials its leader at once, but the leader's own link to it had backed off (up to 5 s
        // by default) while it was down, and the leader's appends waited for that: 1.7-3.2 s of a restart.
        TransportConfig slowRedial = TransportConfig.defaults().withReconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30));
        int port = reserveLoopbackPort();
        TestNode a = nodes.create("a", slowRedial);
        a.addressBook.put("b", new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        a.transport.start();
        assertThat(a.send("b", "while-down")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> a.stats("b").dialFailures() >= 1);

        TestNode b = nodes.createPlainOnPort("b", port, FAST_RECONNECT, Map.of("a", a.address()));
        b.transport.start();
        assertThat(b.send("a", "hello")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> a.textsFrom("b").equals(List.of("hello")));
        // Well inside the 30-s backoff: b's connection to a woke a's link to b.
        await().atMost(Duration.ofSeconds(10)).until(() -> b.textsFrom("a").equals(List.of("while-down")));
    }

    @Test
    void aStalledPeerNeitherBlocksTheCallerNorOtherPeersAndItsDropsAreCounted() throws Exception {
        try (StalledPeer stalled = new StalledPeer()) {
            TransportConfig smallQueue = FAST_RECONNECT.withSendQueue(32, 4L * 1024 * 1024);
            List<TestNode> cluster = nodes.startCluster(smallQueue,
                    node -> node.addressBook.put("stalled", stalled.address()), "a", "b");
            TestNode a = cluster.get(0);
            TestNode b = cluster.get(1);
            await().atMost(TestTimeouts.eventually()).until(() -> stalled.acceptedConnections() == 2);

            byte[] bulk = new byte[64 * 1024];
            int refused = fillUntilStalled(a, "stalled", bulk);
            for (int i = 0; i < 100; i++) {
                assertThat(a.transport.send("stalled", bulk)).isFalse();
                refused++;
            }
            assertThat(a.stats("stalled").queueDrops()).isEqualTo(refused);
            assertThat(a.stats("stalled").queuedFrames()).isEqualTo(32);
            assertThat(a.stats("b").queuedFrames()).isZero();

            assertThat(a.send("b", "still-flowing")).isTrue();
            assertThat(b.send("a", "and-back")).isTrue();
            await().atMost(TestTimeouts.eventually()).until(() -> b.textsFrom("a").contains("still-flowing"));
            await().atMost(TestTimeouts.eventually()).until(() -> a.textsFrom("b").contains("and-back"));
            assertThat(a.stats("b").queueDrops()).isZero();
            a.close();
        }
    }

    @Test
    void aWriteThatStaysBlockedClosesTheConnectionWhichIsThenRedialled() throws Exception {
        try (StalledPeer stalled = new StalledPeer()) {
            TransportConfig config = FAST_RECONNECT.withSendQueue(32, 4L * 1024 * 1024)
                    .withWriteStallTimeout(Duration.ofMillis(300));
            TestNode a = nodes.create("a", config);
            a.addressBook.put("stalled", stalled.address());
            a.transport.start();
            await().atMost(TestTimeouts.eventually()).until(() -> stalled.acceptedConnections() == 1);

            byte[] bulk = new byte[64 * 1024];
            // Keep the queue topped up until the kernel buffers are full and the watchdog gives up on the write.
            await().atMost(TestTimeouts.eventually()).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (int i = 0; i < 100 && a.transport.send("stalled", bulk); i++) {
                    // topping up
                }
                return a.transport.stats().connectionsClosed() >= 1;
            });
            await().atMost(TestTimeouts.eventually()).until(() -> stalled.acceptedConnections() >= 2);
            assertThat(a.stats("stalled").reconnects()).isGreaterThanOrEqualTo(1);
            a.close();
        }
    }

    /**
     * Sends until the peer's queue is full and its writer made no progress since the previous poll, i.e.
     * the writer is blocked on a socket whose kernel buffers are full. Returns the number of refusals.
     */
    private static int fillUntilStalled(TestNode node, String peerId, byte[] bulk) {
        AtomicInteger refused = new AtomicInteger();
        AtomicLong framesWrittenAtLastPoll = new AtomicLong(-1);
        await().atMost(TestTimeouts.eventually()).pollInterval(Duration.ofMillis(20)).until(() -> {
            int refusedThisPoll = 0;
            for (int i = 0; i < 2_000 && refusedThisPoll < 10; i++) {
                if (!node.transport.send(peerId, bulk)) {
                    refusedThisPoll++;
                }
            }
            refused.addAndGet(refusedThisPoll);
            long framesWritten = node.stats(peerId).framesOut();
            return refusedThisPoll == 10 && framesWritten == framesWrittenAtLastPoll.getAndSet(framesWritten);
        });
        return refused.get();
    }

    @Test
    void invalidFramesCloseOnlyTheirConnectionAndAreCounted() throws Exception {
        List<TestNode> cluster = nodes.startCluster(FAST_RECONNECT, node -> { }, "a", "b");
        TestNode a = cluster.get(0);
        TestNode b = cluster.get(1);
        await().atMost(TestTimeouts.eventually()).until(() -> a.stats("b").connectionsOpened() == 2);

        List<byte[]> attacks = List.of(
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                ByteBuffer.allocate(4).putInt(FrameCodec.DEFAULT_MAX_FRAME_BYTES + 1).array(),
                ByteBuffer.allocate(18).putInt(14).put((byte) 9).put(FrameType.MESSAGE.wireCode()).array(),
                ByteBuffer.allocate(18).putInt(14).put(FrameCodec.VERSION).put((byte) 99).array(),
                ByteBuffer.allocate(18).putInt(14).put(FrameCodec.VERSION).put(FrameType.RESPONSE.wireCode()).array(),
                ByteBuffer.allocate(14).putInt(100).put(FrameCodec.VERSION).put(FrameType.MESSAGE.wireCode()).array());
        for (int i = 0; i < attacks.size(); i++) {
            String intruder = "intruder-" + i;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), a.address().getPort())) {
                socket.setSoTimeout((int) TestTimeouts.eventually().toMillis());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                new FrameCodec(1024).write(new Frame(FrameType.HELLO, 0, 0,
                        intruder.getBytes(StandardCharsets.UTF_8)), out);
                out.write(attacks.get(i));
                out.flush();
                socket.shutdownOutput();
                assertClosedByPeer(socket.getInputStream());
            }
            long expectedErrors = i + 1;
            await().atMost(TestTimeouts.eventually()).until(() -> a.transport.stats().frameErrors() == expectedErrors);
            assertThat(a.stats(intruder).frameErrors()).isEqualTo(1);

            String text = "after-attack-" + i;
            assertThat(b.send("a", text)).isTrue();
            await().atMost(TestTimeouts.eventually()).until(() -> a.textsFrom("b").contains(text));
        }
        assertThat(a.stats("b").frameErrors()).isZero();
        assertThat(a.stats("b").connectionsOpened()).isEqualTo(2);

        try (Socket noHello = new Socket(InetAddress.getLoopbackAddress(), a.address().getPort())) {
            noHello.getOutputStream().write(attacks.get(0));
            noHello.setSoTimeout((int) TestTimeouts.eventually().toMillis());
            assertClosedByPeer(noHello.getInputStream());
        }
        await().atMost(TestTimeouts.eventually()).until(() -> a.transport.stats().acceptFailures() == 1);
    }

    @Test
    void theTransportFollowsAddressBookChanges() throws Exception {
        List<TestNode> cluster = nodes.startCluster(FAST_RECONNECT, node -> { }, "a", "b");
        TestNode a = cluster.get(0);
        TestNode b = cluster.get(1);

        a.addressBook.remove("b");
        assertThat(a.send("b", "to-nowhere")).isFalse();
        assertThat(a.transport.droppedForUnknownPeer()).isEqualTo(1);
        assertThat(a.send("a", "to-myself")).isFalse();

        a.addressBook.put("b", b.address());
        assertThat(a.send("b", "back-again")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> b.textsFrom("a").equals(List.of("back-again")));
    }

    @Test
    void closeStopsEveryThreadOfTheTransport() throws Exception {
        List<TestNode> cluster = nodes.startCluster(FAST_RECONNECT, node -> { }, "a", "b");
        assertThat(cluster.get(0).send("b", "hello")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> cluster.get(1).textsFrom("a").size() == 1);
        assertThat(liveThreadsOf("a")).isNotEmpty();

        cluster.get(0).close();

        await().atMost(TestTimeouts.eventually()).until(() -> liveThreadsOf("a").isEmpty());
        assertThat(cluster.get(0).send("b", "after-close")).isFalse();
    }

    private static List<String> liveThreadsOf(String nodeId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("ratchet-transport-" + nodeId + "-"))
                .toList();
    }

    private static void assertClosedByPeer(InputStream in) throws IOException {
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    private static void sendRound(List<TestNode> cluster, String round, int perPeer) {
        for (int i = 0; i < perPeer; i++) {
            for (TestNode node : cluster) {
                for (TestNode peer : cluster) {
                    if (peer != node) {
                        assertThat(node.send(peer.id, text(node.id, peer.id, round, i))).isTrue();
                    }
                }
            }
        }
    }

    private static List<String> expectedTexts(String from, String to, String round, int count) {
        return IntStream.range(0, count).mapToObj(i -> text(from, to, round, i)).toList();
    }

    private static String text(String from, String to, String round, int index) {
        return round + ":" + from + "->" + to + "#" + index;
    }

    private static long totalConnectionsOpened(List<TestNode> cluster) {
        return cluster.stream().mapToLong(node -> node.transport.stats().connectionsOpened()).sum();
    }

    private static int reserveLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
