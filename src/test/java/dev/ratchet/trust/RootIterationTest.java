package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The two ratchets without TLS: a handshake succeeds exactly when each side holds the root of the
 * other's leaf. Whatever the lists (sharing at least one root) and wherever both ratchets start,
 * they meet within w^2 + w attempts, w = max(len, maxTrustRoots + 1); from a fresh start within w^2.
 */
class RootIterationTest {
    private static final TrustSettings ROOT_SETTINGS = TrustSettings.defaults();
    private static final List<TrustRoot> ROOTS = makeRoots();

    private static List<TrustRoot> makeRoots() {
        List<TrustRoot> roots = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 14; i++) {
            roots.add(Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, i), ROOT_SETTINGS, t.plus(Duration.ofDays(i)),
                    TestKeys.RANDOM));
        }
        return List.copyOf(roots);
    }

    @Property(tries = 1000)
    void dialerAndAcceptorMeetOnACommonRoot(@ForAll @IntRange(min = 1, max = 6) int maxTrustRoots,
            @ForAll @IntRange(min = 1, max = 7) int dialerSize, @ForAll @IntRange(min = 1, max = 7) int acceptorSize,
            @ForAll long seed, @ForAll boolean freshStart) {
        int limit = maxTrustRoots + 1;
        int lc = Math.min(dialerSize, limit);
        int ls = Math.min(acceptorSize, limit);
        Random random = new Random(seed);
        List<TrustRoot> shuffled = new ArrayList<>(ROOTS);
        Collections.shuffle(shuffled, random);
        // One common root, the rest private to each side, in random positions.
        TrustRoot common = shuffled.get(0);
        List<TrustRoot> dialerList = new ArrayList<>(shuffled.subList(1, lc));
        dialerList.add(random.nextInt(lc), common);
        List<TrustRoot> acceptorList = new ArrayList<>(shuffled.subList(7, 7 + ls - 1));
        acceptorList.add(random.nextInt(ls), common);
        TrustRoots dialerRoots = TrustRoots.of(dialerList);
        TrustRoots acceptorRoots = TrustRoots.of(acceptorList);

        int width = Math.max(Math.max(lc, ls), limit);
        RootIteration.Client client = new RootIteration.Client();
        RootIteration.Server server = new RootIteration.Server();
        if (!freshStart) {
            client.remember("peer", dialerRoots.get(random.nextInt(lc)).fingerprint());
            for (int i = random.nextInt(ls * width); i > 0; i--) {
                server.onFailure(acceptorRoots, width);
            }
        }
        int index = client.start("peer", dialerRoots);
        int attempts = 0;
        while (true) {
            attempts++;
            TrustRoot presented = dialerRoots.get(index);
            TrustRoot answered = acceptorRoots.get(server.current(acceptorRoots));
            if (acceptorRoots.indexOf(presented.fingerprint()) >= 0
                    && dialerRoots.indexOf(answered.fingerprint()) >= 0) {
                server.onSuccess();
                client.remember("peer", presented.fingerprint());
                break;
            }
            server.onFailure(acceptorRoots, width);
            index = (index + 1) % lc;
            client.remember("peer", dialerRoots.get(index).fingerprint());
            assertThat(attempts).as("no meeting of %s and %s", dialerRoots, acceptorRoots)
                    .isLessThan(width * width + width);
        }
        assertThat(attempts).isLessThanOrEqualTo(freshStart ? width * width : width * width + width);
        assertThat(client.start("peer", dialerRoots)).isEqualTo(dialerRoots.indexOf(common.fingerprint()));
    }
}
