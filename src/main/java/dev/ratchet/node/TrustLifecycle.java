package dev.ratchet.node;

import dev.ratchet.join.JoinClient;
import dev.ratchet.join.JoinProtocol;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Member;
import dev.ratchet.trust.LeafCertificates;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.RootRotation;
import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import dev.ratchet.trust.TrustSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust roots of a running node after start-up: adopts the replicated roots as they are applied
 * (and saves them to {@link RootsFile}), seeds the replicated copy on a leader that has none, runs the
 * rotation check, and fetches the current roots through the join path when this node holds only expired
 * ones or has been cut off for long.
 *
 * <p>Thread-safety: {@link #adopt} runs on the apply thread, the rest on the maintenance thread or the
 * rotation schedule; the TLS contexts it updates are themselves thread-safe.
 */
final class TrustLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrustLifecycle.class);
    /** Least time between two refreshes caused by expired roots alone. */
    private static final long EXPIRED_REFRESH_SPACING_NANOS = 5_000_000_000L;

    private final RootsFile rootsFile;
    private final Clock clock;
    private final LongSupplier nanos;
    private final PeerTlsContexts tls;
    private final LeafCertificates leaves;
    private final ClusterState state;
    private final RootRotation rotation;
    private final Function<Command, CompletableFuture<?>> submit;
    private long lastRefreshNanos;
    /** The replicated bytes the rotation in progress started from (the rotation runs on one thread). */
    private byte[] rotationBase = new byte[0];

    TrustLifecycle(RootsFile rootsFile, Clock clock, LongSupplier nanos, PeerTlsContexts tls, LeafCertificates leaves,
            ClusterState state, Function<Command, CompletableFuture<?>> submit, TrustSettings settings, BooleanSupplier isLeader,
            SecureRandom random) {
        this.rootsFile = rootsFile;
        this.clock = clock;
        this.nanos = nanos;
        this.tls = tls;
        this.leaves = leaves;
        this.state = state;
        this.submit = submit;
        this.rotation = RootRotation.withFreshKeys(settings, isLeader, this::rotationBase, this::propose, random);
        this.lastRefreshNanos = nanos.getAsLong() - 2 * EXPIRED_REFRESH_SPACING_NANOS;
    }

    /** Switches TLS to replicated roots newer than the current ones and saves them; never throws. */
    void adopt(byte[] serialized) {
        if (serialized.length == 0) {
            return;
        }
        TrustRoots roots;
        try {
            roots = decode(serialized);
        } catch (IOException e) {
            log.error("the replicated trust roots do not decode; keeping the current ones: {}", e.getMessage());
            return;
        }
        if (roots.equals(tls.roots())) {
            return;
        }
        if (roots.newest().notBefore().isBefore(tls.roots().newest().notBefore())) {
            // Replaying old log entries (catching up, or restarting) passes through older root lists;
            // going back to them would drop roots the others use now.
            return;
        }
        tls.update(roots);
        leaves.retainOnly(roots);
        try {
            rootsFile.write(roots);
        } catch (IOException e) {
            log.error("could not save the trust roots to {}: {}", rootsFile.path(), e.getMessage());
        }
        log.info("trust roots updated: {} roots, newest {}", roots.size(), roots.newest().shortId());
    }

    /** On the leader: the replicated state has no roots yet (a new cluster), so propose ours. */
    void seedReplicatedRoots() {
        if (state.roots().length == 0) {
            // Conditional on there being none: two leaders in a row must not both seed.
            submit.apply(Command.SetRoots.replacing(new byte[0], TrustRootsCodec.encode(tls.roots())));
        }
    }

    /** The rotation check; followers return at once. Never throws. */
    void checkRotation() {
        try {
            rotation.rotateIfDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("root rotation check failed: {}", e.toString());
        }
    }

    /** True once every root this node holds has expired and no refresh was tried in the last seconds. */
    boolean expiredAndDueForRefresh() {
        return allExpired(tls.roots(), clock) && nanos.getAsLong() - lastRefreshNanos > EXPIRED_REFRESH_SPACING_NANOS;
    }

    /**
     * Asks a member, with the join token, for the current roots (this node may hold only roots the others
     * have dropped). Blocks for up to ten seconds; failures are logged.
     */
    void refreshThroughJoin(JoinClient joinClient, Member self, String incarnation, List<URI> joinAddresses,
            PeerDirectory peers)
            throws InterruptedException {
        lastRefreshNanos = nanos.getAsLong();
        Set<URI> addresses = new LinkedHashSet<>(joinAddresses);
        for (Member m : state.members().values()) {
            if (!m.id().equals(self.id())) {
                addresses.add(URI.create(m.apiUrl()));
            }
        }
        if (addresses.isEmpty()) {
            return;
        }
        log.warn("{} has seen no leader for a long time or holds only expired roots; fetching the current"
                + " trust roots with the join token", self.id());
        try {
            JoinProtocol.JoinGrant grant = joinClient.join(self, incarnation, List.copyOf(addresses), Duration.ofSeconds(10), true);
            adopt(grant.serializedRoots());
            peers.putAll(grant.members());
        } catch (IOException | RuntimeException e) {
            log.warn("fetching the trust roots failed: {}", e.getMessage());
        }
    }

    private TrustRoots replicated(byte[] bytes) {
        if (bytes.length == 0) {
            return tls.roots();
        }
        try {
            return decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The replicated roots a rotation starts from; their bytes become the rotation's precondition. */
    private TrustRoots rotationBase() {
        rotationBase = state.roots();
        return replicated(rotationBase);
    }

    private CompletableFuture<?> propose(TrustRoots roots) {
        return submit.apply(Command.SetRoots.replacing(rotationBase, TrustRootsCodec.encode(roots))).whenComplete((r, e) -> {
            if (e != null) {
                log.warn("proposing rotated trust roots failed: {}", e.toString());
            } else if (r instanceof CommandResult.PreconditionFailed) {
                log.info("rotated trust roots not applied: the roots changed meanwhile (the next check starts over)");
            } else {
                log.info("rotated trust roots: newest is now {}", roots.newest().shortId());
            }
        });
    }

    static boolean allExpired(TrustRoots roots, Clock clock) {
        java.time.Instant now = clock.instant();
        return roots.roots().stream().allMatch(r -> r.isExpiredAt(now));
    }

    static TrustRoots decode(byte[] serialized) throws IOException {
        try {
            return TrustRootsCodec.decode(serialized);
        } catch (TrustFormatException e) {
            throw new IOException("trust roots do not decode: " + e.getMessage(), e);
        }
    }
}
