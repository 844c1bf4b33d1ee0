package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The founder's decision on fake seeds and fake time: join whenever a cluster exists, found only when enough are fresh. */
class BootstrapDiscoveryTest {

    static final URI A = URI.create("http://a:8080");
    static final URI B = URI.create("http://b:8080");
    static final URI C = URI.create("http://c:8080");
    final BootstrapProbe probe = new BootstrapProbe("join-token-0123456789");

    /** Seeds whose answers a test script changes round by round; time advances only by the pauses. */
    final class FakeSeeds implements BootstrapDiscovery.Prober, BootstrapDiscovery.Pause {
        final Map<URI, BootstrapProbe.State> states = new HashMap<>();
        final Map<URI, String> ids = new HashMap<>();
        final List<Runnable> script = new ArrayList<>();
        long nanos;
        int rounds;

        FakeSeeds seed(URI uri, String id, BootstrapProbe.State state) {
            ids.put(uri, id);
            if (state != null) {
                states.put(uri, state);
            }
            return this;
        }

        @Override
        public Optional<BootstrapProbe.Answer> ask(URI seed) {
            BootstrapProbe.State state = states.get(seed);
            return state == null ? Optional.empty() : Optional.of(probe.answer("n", ids.get(seed), state, "c-1"));
        }

        @Override
        public void pause(Duration d) {
            nanos += d.toNanos();
            if (rounds < script.size()) {
                script.get(rounds).run();
            }
            rounds++;
            if (rounds > 1_000) {
                throw new AssertionError("still waiting after 1000 rounds");
            }
        }

        BootstrapDiscovery.Decision decide(String self, int expect, URI... seeds) throws InterruptedException {
            return new BootstrapDiscovery(self, List.of(seeds), expect, this, this, () -> nanos).decide();
        }
    }

    @Test
    void aWipedFounderJoinsWhenAnyPeerIsAMember() throws Exception {
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", null)
                .seed(C, "n3", BootstrapProbe.State.MEMBER);
        BootstrapDiscovery.Decision d = seeds.decide("n1", 3, A, B, C);
        assertThat(d.bootstrap()).isFalse();
        assertThat(d.reason()).contains("n3", "c-1");
    }

    @Test
    void aFounderWaitsForExpectedFreshNodesAndFoundsThen() throws Exception {
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", BootstrapProbe.State.FRESH)
                .seed(C, "n3", null);
        seeds.script.add(() -> { });
        seeds.script.add(() -> seeds.states.put(C, BootstrapProbe.State.FRESH));
        BootstrapDiscovery.Decision d = seeds.decide("n1", 3, A, B, C);
        assertThat(d.bootstrap()).isTrue();
        assertThat(seeds.rounds).isEqualTo(2);
        assertThat(d.reason()).contains("[n1, n2, n3]");
    }

    @Test
    void aFounderWhosePeersAreOnlyRestartingWaitsAndThenJoinsThem() throws Exception {
        // The peers have their data but are down for a while: they must not count as fresh.
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", null).seed(C, "n3", null);
        for (int i = 0; i < 50; i++) {
            seeds.script.add(() -> { });
        }
        seeds.script.add(() -> seeds.states.put(B, BootstrapProbe.State.MEMBER));
        BootstrapDiscovery.Decision d = seeds.decide("n1", 3, A, B, C);
        assertThat(d.bootstrap()).isFalse();
        assertThat(seeds.rounds).isEqualTo(51);
    }

    @Test
    void expectZeroNeedsEverySeedToAnswerFresh() throws Exception {
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", BootstrapProbe.State.FRESH)
                .seed(C, "n3", null);
        seeds.script.add(() -> seeds.states.put(C, BootstrapProbe.State.FRESH));
        assertThat(seeds.decide("n1", 0, A, B, C).bootstrap()).isTrue();
        assertThat(seeds.rounds).isEqualTo(1);
    }

    @Test
    void aSecondFounderWithAHigherIdLetsTheLowerOneFoundAndJoinsIt() throws Exception {
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", BootstrapProbe.State.FOUNDER);
        seeds.script.add(() -> seeds.states.put(A, BootstrapProbe.State.MEMBER));
        assertThat(seeds.decide("n2", 2, A, B).bootstrap()).isFalse();
        // ... while the lower one does not wait for the higher one.
        FakeSeeds other = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", BootstrapProbe.State.FOUNDER);
        assertThat(other.decide("n1", 2, A, B).bootstrap()).isTrue();
    }

    @Test
    void noSeedsFoundsAtOnceUnlessMoreNodesAreExpected() throws Exception {
        assertThat(new FakeSeeds().decide("n1", 0).bootstrap()).isTrue();
        assertThat(new FakeSeeds().decide("n1", 1).bootstrap()).isTrue();
        assertThatThrownBy(() -> new FakeSeeds().decide("n1", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratchet.join-addresses");
    }

    @Test
    void waitingBacksOffToTwoSecondsARound() throws Exception {
        FakeSeeds seeds = new FakeSeeds().seed(A, "n1", BootstrapProbe.State.FOUNDER).seed(B, "n2", null);
        for (int i = 0; i < 9; i++) {
            seeds.script.add(() -> { });
        }
        seeds.script.add(() -> seeds.states.put(B, BootstrapProbe.State.FRESH));
        seeds.decide("n1", 2, A, B);
        // 200, 400, 800, 1600, then 2000 ms each: 3000 + 6 * 2000 ms over 10 pauses.
        assertThat(Duration.ofNanos(seeds.nanos)).isEqualTo(Duration.ofMillis(3000 + 6 * 2000));
    }
}
