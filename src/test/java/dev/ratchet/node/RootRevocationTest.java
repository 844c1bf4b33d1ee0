package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.RootRotationPolicy;
import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import dev.ratchet.trust.TrustSettings;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Removal revokes: the roots rotate past every root the removed member held, in two replicated steps,
 * and a leaf the removed member mints from any of them is signed by no root the cluster keeps.
 */
class RootRevocationTest {

    private static final TrustSettings SETTINGS = TrustSettings.defaults();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private final List<TrustRoots> proposed = new ArrayList<>();
    private final AtomicLong followerMatch = new AtomicLong();
    private long nextIndex = 10;

    private CompletableFuture<CommandResult> submit(Command c) {
        try {
            proposed.add(TrustRootsCodec.decode(((Command.SetRoots) c).serializedRoots()));
        } catch (TrustFormatException e) {
            throw new AssertionError(e);
        }
        return CompletableFuture.completedFuture(new CommandResult.Done(nextIndex++));
    }

    private Status status() {
        Map<String, Status.FollowerStatus> progress = Map.of(
                "n2~b", new Status.FollowerStatus(followerMatch.get(), followerMatch.get() + 1, "REPLICATE", 0, true, false),
                "n3~c", new Status.FollowerStatus(followerMatch.get(), followerMatch.get() + 1, "REPLICATE", 0, true, false));
        return new Status("n1~a", Role.LEADER, 2, "n1~a", 20, 20, 20, new ConfState(Set.of("n1~a", "n2~b", "n3~c"), Set.of()),
                null, progress, 20);
    }

    @Test
    void theOldRootsGoOnlyOnceTheMembersHoldTheFreshOneAndLeaveNothingTheRemovedMemberCanSignWith() throws Exception {
        TrustRoots held = Certificates.seed(SETTINGS, NOW.minus(Duration.ofDays(40)), RANDOM);
        held = RootRotationPolicy.rotated(NOW.minus(Duration.ofDays(5)), held,
                Certificates.newRoot(SETTINGS, NOW.minus(Duration.ofDays(5)), RANDOM), SETTINGS);
        TrustRoot fresh = Certificates.newRoot(SETTINGS, NOW, RANDOM);
        TrustRoots withFresh = RootRotationPolicy.rotated(NOW, held, fresh, SETTINGS);

        CompletableFuture<TrustRoots> done = new RootRevocation(this::submit, this::status, Duration.ofSeconds(30))
                .rotatePastEvery(held, withFresh, fresh);
        assertThat(proposed).containsExactly(withFresh);
        // The followers have not acknowledged the fresh root yet: the old roots stay.
        assertThat(done).isNotDone();
        followerMatch.set(10);
        TrustRoots result = done.get(5, TimeUnit.SECONDS);
        assertThat(proposed).hasSize(2);
        assertThat(result.roots()).containsExactly(fresh);
        assertThat(proposed.get(1)).isEqualTo(result);

        // A removed member mints a leaf from each root it kept (it has their private keys): none is trusted.
        var keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        for (TrustRoot old : held.roots()) {
            X509Certificate leaf = Certificates.newLeaf(old, new NodeIdentity("n1", List.of("127.0.0.1")), keys.getPublic(),
                    NOW, NOW.plus(Duration.ofHours(1)), RANDOM);
            assertThat(held.issuerOf(leaf)).isPresent();
            assertThat(result.issuerOf(leaf)).as("a leaf from removed-held root " + old.shortId()).isEmpty();
        }
    }

    @Test
    void aMemberThatIsAwayDoesNotKeepTheOldRootsAliveForever() throws Exception {
        TrustRoots held = Certificates.seed(SETTINGS, NOW.minus(Duration.ofDays(1)), RANDOM);
        TrustRoot fresh = Certificates.newRoot(SETTINGS, NOW, RANDOM);
        TrustRoots withFresh = RootRotationPolicy.rotated(NOW, held, fresh, SETTINGS);
        TrustRoots result = new RootRevocation(this::submit, this::status, Duration.ofMillis(200))
                .rotatePastEvery(held, withFresh, fresh).get(5, TimeUnit.SECONDS);
        assertThat(result.roots()).containsExactly(fresh);
        assertThat(RootRevocation.allCaughtUp(status(), 10)).isFalse();
    }
}
