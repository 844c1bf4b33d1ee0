package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The accepted handshake's timeout is an overall deadline: a client that sends one byte of a TLS
 * record well inside every per-read timeout is still cut off when the deadline passes.
 */
class HandshakeDeadlineTlsTest {
    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration DEADLINE = Duration.ofMillis(800);
    /** The slow client keeps going far longer than the deadline; without one the handshake would last this long. */
    private static final Duration DRIBBLE_FOR = TestKeys.scaled(Duration.ofSeconds(20));

    @Test
    void aClientDribblingBytesIsCutOffAtTheDeadline() throws Exception {
        TrustRoot root = Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 1), SETTINGS,
                NOW.minus(Duration.ofDays(1)), TestKeys.RANDOM);
        InMemoryHandshakeCounters counters = new InMemoryHandshakeCounters();
        PeerTlsContexts tls = new PeerTlsContexts(new LeafCertificates(new NodeIdentity("n1", List.of("127.0.0.1")),
                SETTINGS, new TestKeys.MutableClock(NOW), TestKeys.RANDOM), TrustRoots.of(root), SETTINGS,
                Set.of("n1", "n2")::contains, counters);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            CompletableFuture<Void> dribbler = CompletableFuture.runAsync(() -> dribble(slow));
            long started = System.nanoTime();
            CompletableFuture<PeerConnection> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return tls.handshakeAccepted(accepted, DEADLINE);
                } catch (java.io.IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });

            assertThat(handshake).failsWithin(DRIBBLE_FOR.dividedBy(4))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(PeerHandshakeException.class,
                            e -> assertThat(e.reason()).isEqualTo(HandshakeResult.TIMEOUT));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(tookMillis).as("handshake ended after the deadline, not before")
                    .isGreaterThanOrEqualTo(DEADLINE.toMillis() - 50);
            assertThat(counters.total(HandshakeSide.SERVER, HandshakeResult.TIMEOUT)).isEqualTo(1);
            assertThat(dribbler).succeedsWithin(DRIBBLE_FOR);
        }
    }

    /** Sends a TLS handshake record header announcing 16 KiB, then one byte every 100 ms until the peer hangs up. */
    private static void dribble(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
            out.flush();
            long until = System.nanoTime() + DRIBBLE_FOR.toNanos();
            while (System.nanoTime() < until) {
                out.write(0x01);
                out.flush();
                // A slow-loris client has to pause between bytes; that pause is what it does.
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (java.io.IOException | InterruptedException hungUp) {
            // the acceptor closed the connection: what we wanted
        }
    }
}
