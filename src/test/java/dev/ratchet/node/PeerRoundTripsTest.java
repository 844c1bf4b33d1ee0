package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.PlainTransports;
import dev.ratchet.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pings between real loopback transports: a peer that answers gives a round trip per probe, a peer
 * that does not know the ping (an older version) gives none and does not block later probes, and a ping
 * with a payload gets a clear error.
 */
class PeerRoundTripsTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);

    private PlainTransports transports;

    @AfterEach
    void close() {
        if (transports != null) {
            transports.close();
        }
    }

    @Test
    void answeredPingsAreMeasuredPerPeerAndAnOldPeerIsSkipped() throws Exception {
        Map<String, PeerRoundTrips> probers = new ConcurrentHashMap<>();
        transports = new PlainTransports(t -> {
            if (!t.localId().equals("n3")) { // n3 stands for a node from before the ping
                PeerRoundTrips p = new PeerRoundTrips(t, () -> List.of("n2", "n3").stream()
                        .filter(id -> !id.equals(t.localId())).toList(), WAIT, System::nanoTime);
                p.register();
                probers.put(t.localId(), p);
            }
        }, "n1", "n2", "n3");
        Map<String, Long> seen = new ConcurrentHashMap<>();
        probers.get("n1").setListener((peer, nanos) -> seen.merge(peer, 1L, Long::sum));

        probers.get("n1").probe();
        await().atMost(WAIT).until(() -> seen.getOrDefault("n2", 0L) == 1);
        // The unanswered ping to n3 ends (an error) and frees n3's slot; n2 is measured again.
        await().atMost(WAIT).untilAsserted(() -> {
            probers.get("n1").probe();
            assertThat(seen.getOrDefault("n2", 0L)).isGreaterThanOrEqualTo(3);
        });
        assertThat(seen).doesNotContainKey("n3");
    }

    @Test
    void aPingWithAPayloadGetsAClearError() throws Exception {
        transports = new PlainTransports(t -> new PeerRoundTrips(t, List::of, WAIT, System::nanoTime).register(),
                "n1", "n2");
        PeerTransport n1 = transports.transport("n1");
        CompletableFuture<byte[]> answer = n1.call("n2", PeerRequestTypes.PING, new byte[] {1, 2}, WAIT);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> answer.get());
        assertThat(failure.getCause()).isInstanceOf(TransportException.class)
                .hasMessageContaining("a ping carries no payload, got 2 bytes");
        assertThat(n1.call("n2", PeerRequestTypes.PING, new byte[0], WAIT).get()).isEmpty();
    }
}
