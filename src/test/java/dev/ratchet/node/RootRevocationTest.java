package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
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
    /** The replicated state the steps apply to (as the leader's log would, one entry at a time). */
    private final ClusterState state = new ClusterState();
    private long nextIndex = 10;
    /** Runs just before the n-th root change of the revocation is applied (a concurrent rotation landing). */
    private final Map<Integer, Runnable> beforeApply = new java.util.HashMap<>();

    private CompletableFuture<CommandResult> submit(Command c) {
        try {
            proposed.add(TrustRootsCodec.decode(((Command.SetRoots) c).serializedRoots()));
        } catch (TrustFormatException e) {
            throw new AssertionError(e);
        }
        beforeApply.getOrDefault(proposed.size(), () -> { }).run();
        return CompletableFuture.completedFuture(state.apply(nextIndex++, c));
    }

    private RootRevocation revocation(Duration catchUp) {
        return new RootRevocation(this::submit, this::status, state::roots, catchUp);
    }

    private byte[] replicate(TrustRoots roots) {
        state.apply(nextIndex++, new Command.SetRoots(TrustRootsCodec.encode(roots)));
        return state.roots();
    }

    private TrustRoots replicated() throws TrustFormatException {
        return TrustRootsCodec.decode(state.roots());
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

        CompletableFuture<TrustRoots> done = revocation(Duration.ofSeconds(30))
                .rotatePastEvery(replicate(held), held, withFresh, fresh);
        assertThat(proposed).containsExactly(withFresh);
        // The followers have not acknowledged the fresh root yet: the old roots stay.
        assertThat(done).isNotDone();
        followerMatch.set(nextIndex - 1); // the followers acknowledge step 1
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
        TrustRoots result = revocation(Duration.ofMillis(200))
                .rotatePastEvery(replicate(held), held, withFresh, fresh).get(5, TimeUnit.SECONDS);
        assertThat(result.roots()).containsExactly(fresh);
        assertThat(RootRevocation.allCaughtUp(status(), 10)).isFalse();
    }

    @Test
    void aRotationRacingTheRevocationNeitherBringsBackARemovedRootNorIsLost() throws Exception {
        TrustRoots held = Certificates.seed(SETTINGS, NOW.minus(Duration.ofDays(10)), RANDOM);
        byte[] base = replicate(held);
        TrustRoot fresh = Certificates.newRoot(SETTINGS, NOW, RANDOM);
        TrustRoots withFresh = RootRotationPolicy.rotated(NOW, held, fresh, SETTINGS);
        // A scheduled rotation read the roots before the revocation started and lands right after step 1:
        // its list holds the removed member's root again, so it must be refused.
        TrustRoot scheduled = Certificates.newRoot(SETTINGS, NOW.plusSeconds(1), RANDOM);
        TrustRoots staleRotation = RootRotationPolicy.rotated(NOW.plusSeconds(1), held, scheduled, SETTINGS);
        CommandResult[] staleResult = new CommandResult[1];
        // Another rotation, made from the list after step 1, lands just before step 2 applies: step 2 must
        // re-read and keep that root, dropping only the removed member's.
        TrustRoot later = Certificates.newRoot(SETTINGS, NOW.plusSeconds(2), RANDOM);
        beforeApply.put(2, () -> {
            staleResult[0] = state.apply(nextIndex++, Command.SetRoots.replacing(base,
                    TrustRootsCodec.encode(staleRotation)));
            byte[] afterStep1 = state.roots();
            state.apply(nextIndex++, Command.SetRoots.replacing(afterStep1,
                    TrustRootsCodec.encode(RootRevocation.with(withFresh, later))));
        });
        followerMatch.set(Long.MAX_VALUE / 2);
        TrustRoots result = revocation(Duration.ofSeconds(30)).rotatePastEvery(base, held, withFresh, fresh)
                .get(5, TimeUnit.SECONDS);
        assertThat(staleResult[0]).isInstanceOf(CommandResult.PreconditionFailed.class);
        assertThat(result.roots()).extracting(TrustRoot::fingerprint)
                .containsExactlyInAnyOrder(fresh.fingerprint(), later.fingerprint());
        assertThat(replicated()).isEqualTo(result);
        for (TrustRoot old : held.roots()) {
            assertThat(replicated().roots()).extracting(TrustRoot::fingerprint).doesNotContain(old.fingerprint());
        }
    }
}
