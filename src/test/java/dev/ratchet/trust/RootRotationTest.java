package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The seed's rotation rule, checked with a fake clock over years of scheduler ticks. */
class RootRotationTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A leader running the rotation with a fake clock; roots made from pooled keys for speed. */
    private static final class Cluster {
        final TrustSettings settings;
        final AtomicReference<TrustRoots> state;
        final List<TrustRoots> proposals = new ArrayList<>();
        final RootRotation rotation;
        boolean leader = true;
        /** When set, proposals are left outstanding with this future instead of applying at once. */
        CompletableFuture<Void> pending;

        Cluster(TrustSettings settings) {
            this.settings = settings;
            AtomicInteger keys = new AtomicInteger();
            this.state = new AtomicReference<>(TrustRoots.of(
                    Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, 0), settings, START, TestKeys.RANDOM)));
            this.rotation = new RootRotation(settings, () -> leader, state::get, next -> {
                proposals.add(next);
                if (pending != null) {
                    return pending; // not applied yet: the state keeps the old roots
                }
                state.set(next);
                return CompletableFuture.completedFuture(null);
            }, now -> Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, keys.incrementAndGet() % 16), settings, now,
                    TestKeys.RANDOM));
        }
    }

    @Test
    void aRotationStillInFlightIsNotProposedAgainUntilItSettlesOrIsLongOverdue() {
        TrustSettings settings = new TrustSettings(Duration.ofSeconds(21), 3, Duration.ofSeconds(1), KeyType.EC_P256);
        Cluster cluster = new Cluster(settings);
        cluster.pending = new CompletableFuture<>();
        Instant due = START.plus(settings.rotationAge()).plusSeconds(1);
        Duration check = settings.rotationCheckInterval();
        assertThat(cluster.rotation.rotateIfDue(due)).isPresent();
        // The driver has not applied it yet (a stalled or busy leader): the checks that follow must not
        // pile a new root and proposal on it every interval (for up to one rotation age: 7 s, 2 checks).
        for (int k = 1; k <= 2; k++) {
            assertThat(cluster.rotation.rotateIfDue(due.plus(check.multipliedBy(k)))).isEmpty();
        }
        assertThat(cluster.proposals).hasSize(1);
        // Failed: the next check tries again.
        cluster.pending.completeExceptionally(new IllegalStateException("not leader any more"));
        cluster.pending = new CompletableFuture<>();
        assertThat(cluster.rotation.rotateIfDue(due.plus(check.multipliedBy(4)))).isPresent();
        assertThat(cluster.proposals).hasSize(2);
        // Never answered at all: after one rotation age it no longer blocks the next attempt.
        assertThat(cluster.rotation.rotateIfDue(due.plus(check.multipliedBy(5)))).isEmpty();
        assertThat(cluster.rotation.rotateIfDue(due.plus(check.multipliedBy(4)).plus(settings.rotationAge())
                .plusSeconds(1))).isPresent();
        assertThat(cluster.proposals).hasSize(3);
    }

    @Property(tries = 20)
    void yearsOfRotationsKeepTwoValidRootsAndABoundedList(
            @ForAll @IntRange(min = 30, max = 365) int expireDays,
            @ForAll @IntRange(min = 3, max = 6) int maxTrustRoots,
            @ForAll @LongRange(min = 0, max = 48 * 3600) long graceSeconds,
            @ForAll long jitterSeed) {
        TrustSettings settings = new TrustSettings(Duration.ofDays(expireDays), maxTrustRoots,
                Duration.ofSeconds(graceSeconds), KeyType.EC_P256);
        Cluster cluster = new Cluster(settings);
        Duration interval = settings.rotationCheckInterval();
        long maxJitterMillis = interval.toMillis() / 10;
        Random jitter = new Random(jitterSeed);
        Instant end = START.plus(Duration.ofDays(3 * 365));
        boolean secondExists = false;
        int rotations = 0;
        for (long tick = 1; ; tick++) {
            Instant at = START.plus(interval.multipliedBy(tick)).plusMillis((long) (jitter.nextDouble() * maxJitterMillis));
            if (at.isAfter(end)) {
                break;
            }
            checkInvariants(cluster.state.get(), at.minusMillis(1), settings, secondExists);
            if (cluster.rotation.rotateIfDue(at).isPresent()) {
                rotations++;
            }
            TrustRoots roots = cluster.state.get();
            secondExists |= roots.size() >= 2;
            checkInvariants(roots, at, settings, secondExists);
            // The newest root is never older than one rotation age plus one (jittered) interval.
            assertThat(Duration.between(RootRotationPolicy.createdAt(roots.newest(), settings), at))
                    .isLessThanOrEqualTo(settings.rotationAge().plus(interval).plusMillis(2 * maxJitterMillis + 1000));
        }
        // Roughly one rotation per rotation age: the rule neither stalls nor races.
        long expected = Duration.ofDays(3 * 365).toSeconds() / settings.rotationAge().toSeconds();
        assertThat(rotations).isBetween((int) (expected * 0.5), (int) expected + 1);
        assertThat(cluster.proposals).hasSize(rotations);
    }

    private static void checkInvariants(TrustRoots roots, Instant at, TrustSettings settings, boolean secondExists) {
        assertThat(roots.size()).as("list length at %s", at).isLessThanOrEqualTo(settings.maxTrustRoots() + 1);
        assertThat(roots.newest().isValidAt(at)).as("signing root valid at %s: %s", at, roots.newest()).isTrue();
        if (secondExists) {
            long valid = roots.roots().stream().filter(r -> r.isValidAt(at)).count();
            assertThat(valid).as("valid roots at %s in %s", at, roots).isGreaterThanOrEqualTo(2);
        }
    }

    @Example
    void followersNeverRotate() {
        Cluster cluster = new Cluster(TrustSettings.defaults());
        cluster.leader = false;
        TrustRoots before = cluster.state.get();
        assertThat(cluster.rotation.rotateIfDue(START.plus(Duration.ofDays(400)))).isEmpty();
        assertThat(cluster.proposals).isEmpty();
        assertThat(cluster.state.get()).isSameAs(before);
    }

    @Example
    void rotatesOnlyOnceTheNewestRootIsOldEnough() {
        TrustSettings settings = TrustSettings.defaults();
        Cluster cluster = new Cluster(settings);
        TrustRoot seed = cluster.state.get().newest();
        assertThat(seed.notBefore()).isEqualTo(START.minus(settings.certGrace()));
        assertThat(seed.notAfter()).isEqualTo(START.plus(settings.rootCertExpire()).plus(settings.certGrace()));

        assertThat(cluster.rotation.rotateIfDue(START.plus(Duration.ofDays(30)).minusSeconds(1))).isEmpty();
        Optional<TrustRoots> rotated = cluster.rotation.rotateIfDue(START.plus(Duration.ofDays(30)));
        assertThat(rotated).isPresent();
        assertThat(rotated.get().roots()).hasSize(2).element(1).isEqualTo(seed);
        assertThat(rotated.get().newest().notBefore()).isEqualTo(START.plus(Duration.ofDays(30)).minus(settings.certGrace()));
    }

    @Example
    void dropsExpiredRootsAndCapsTheList() {
        TrustSettings settings = TrustSettings.defaults();
        Cluster cluster = new Cluster(settings);
        TrustRoot seed = cluster.state.get().newest();
        // A leader that was down for a long time: the seed expired, so only the fresh root remains.
        Instant late = seed.notAfter().plusSeconds(1);
        TrustRoots next = cluster.rotation.rotateIfDue(late).orElseThrow();
        assertThat(next.roots()).hasSize(1).doesNotContain(seed);

        TrustRoots many = next;
        for (int i = 1; i <= 6; i++) {
            many = many.withNewest(Certificates.newRoot(TestKeys.pooled(KeyType.EC_P256, i), settings,
                    late.plusSeconds(i), TestKeys.RANDOM), late.plusSeconds(i), settings.rootListLimit());
        }
        assertThat(many.size()).isEqualTo(settings.rootListLimit());
        assertThat(many.newest().notBefore()).isEqualTo(late.plusSeconds(6).minus(settings.certGrace()));
    }
}
