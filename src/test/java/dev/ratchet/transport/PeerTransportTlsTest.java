package dev.ratchet.transport;

import static dev.ratchet.transport.PeerTransportCallTest.bytes;
import static dev.ratchet.transport.PeerTransportCallTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same transport over mutual TLS with a test CA: peer ids come from certificates. */
class PeerTransportTlsTest {

    private static final int ECHO = 1;
    private static final int CHUNKS = 2;

    private TestNodes nodes;

    @AfterEach
    void closeNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void messagesCallsAndStreamsFlowBetweenThreeTlsPeers() throws Exception {
        nodes = TestNodes.tls();
        List<TestNode> cluster = nodes.startCluster(TransportConfig.defaults(), node -> {
            node.transport.registerHandler(ECHO, (peer, payload) ->
                    CompletableFuture.completedFuture(bytes(peer + " said " + text(payload))));
            node.transport.registerStreamHandler(CHUNKS, (peer, payload, sink) -> {
                for (int i = 0; i < 50; i++) {
                    sink.send(bytes("part-" + i));
                }
            });
        }, "a", "b", "c");

        for (TestNode node : cluster) {
            for (TestNode peer : cluster) {
                if (peer != node) {
                    assertThat(node.send(peer.id, node.id + "->" + peer.id)).isTrue();
                }
            }
        }
        for (TestNode node : cluster) {
            for (TestNode peer : cluster) {
                if (peer != node) {
                    await().atMost(TestTimeouts.eventually())
                            .until(() -> node.textsFrom(peer.id).equals(List.of(peer.id + "->" + node.id)));
                }
            }
        }
        TestNode a = cluster.get(0);
        assertThat(text(a.transport.call("c", ECHO, bytes("over tls"), TestTimeouts.eventually())
                .get(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS)))
                .isEqualTo("a said over tls");
        List<String> parts = new CopyOnWriteArrayList<>();
        a.transport.callStream("b", CHUNKS, bytes(""), chunk -> parts.add(text(chunk)))
                .get(TestTimeouts.eventually().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(parts).hasSize(50).startsWith("part-0").endsWith("part-49");

        assertThat(cluster.stream().mapToLong(node -> node.transport.stats().connectionsOpened()).sum())
                .isEqualTo(3 * 2 * 2);
    }

    @Test
    void junkAndForeignCertificatesAreRefusedWhileTrustedPeersKeepTalking() throws Exception {
        nodes = TestNodes.tls();
        List<TestNode> cluster = nodes.startCluster(TransportConfig.defaults(), node -> { }, "a", "b");
        TestNode a = cluster.get(0);
        TestNode b = cluster.get(1);

        try (Socket junk = new Socket(InetAddress.getLoopbackAddress(), a.address().getPort())) {
            OutputStream out = junk.getOutputStream();
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            junk.setSoTimeout((int) TestTimeouts.eventually().toMillis());
            awaitClosedByPeer(junk.getInputStream());
        }
        await().atMost(TestTimeouts.eventually()).until(() -> a.transport.stats().acceptFailures() == 1);

        SSLContext foreign = new TestCertificateAuthority("someone-else").contextFor("b");
        PeerDialer impostor = TlsPeers.dialer(foreign);
        assertThatThrownBy(
                        () -> impostor.dial("a", a.address(), TestTimeouts.eventually()).close())
                .isInstanceOf(IOException.class);
        await().atMost(TestTimeouts.eventually()).until(() -> a.transport.stats().acceptFailures() == 2);

        assertThat(b.send("a", "still trusted")).isTrue();
        await().atMost(TestTimeouts.eventually()).until(() -> a.textsFrom("b").equals(List.of("still trusted")));
        assertThat(a.stats("b").connectionsOpened()).isEqualTo(2);
    }

    /** Reads (a TLS alert, perhaps) until the peer closes or resets the connection. */
    private static void awaitClosedByPeer(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }
}
