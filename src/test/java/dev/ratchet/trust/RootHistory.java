package dev.ratchet.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The root lists a cluster goes through, made by the real {@link RootRotation} with the leader
 * checking exactly once per rotation age, so list {@code k} is the state after {@code k} rotations.
 */
final class RootHistory {
    final TrustSettings settings;
    final Instant start;
    final List<TrustRoots> lists = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();

    RootHistory(TrustSettings settings, Instant start, int rotations) {
        this.settings = settings;
        this.start = start;
        AtomicInteger keys = new AtomicInteger();
        AtomicReference<TrustRoots> state = new AtomicReference<>(TrustRoots.of(
                Certificates.newRoot(TestKeys.pooled(settings.keyType(), 0), settings, start, TestKeys.RANDOM)));
        RootRotation rotation = new RootRotation(settings, () -> true, state::get, next -> {
                    state.set(next);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                },
                now -> Certificates.newRoot(TestKeys.pooled(settings.keyType(), keys.incrementAndGet()), settings, now,
                        TestKeys.RANDOM));
        lists.add(state.get());
        times.add(start);
        for (int k = 1; k <= rotations; k++) {
            Instant at = start.plus(settings.rotationAge().multipliedBy(k));
            rotation.rotateIfDue(at).orElseThrow();
            lists.add(state.get());
            times.add(at);
        }
    }

    /** Roots after {@code k} rotations. */
    TrustRoots after(int k) {
        return lists.get(k);
    }

    /** When rotation {@code k} happened. */
    Instant time(int k) {
        return times.get(k);
    }
}
