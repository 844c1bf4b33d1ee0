package dev.ratchet.trust;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Leader-side root rotation. The node calls {@link #rotateIfDue(Instant)} every
 * {@link TrustSettings#rotationCheckInterval()}; on the leader, when {@link RootRotationPolicy} says
 * a rotation is due, it makes a new root and hands the new list to the proposer, which replicates
 * it through Raft. Followers do nothing. Not thread-safe by design: call it from one scheduler
 * thread. Key generation blocks for milliseconds (EC) up to about a second (RSA-3072).
 */
public final class RootRotation {
    /** Makes a new root at a given time. */
    @FunctionalInterface
    public interface RootMaker {
        /** A new root valid from {@code now - certGrace} to {@code now + rootCertExpire + certGrace}. */
        TrustRoot newRoot(Instant now);
    }

    private static final Logger LOG = Logger.getLogger(RootRotation.class.getName());

    private final TrustSettings settings;
    private final BooleanSupplier isLeader;
    private final Supplier<TrustRoots> currentRoots;
    private final Function<TrustRoots, CompletionStage<?>> proposer;
    private final RootMaker rootMaker;
    /** The last proposal while it has not settled, and when it was made. */
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private Instant inFlightSince = Instant.MIN;

    /**
     * @param settings rotation settings
     * @param isLeader true while this node leads the cluster
     * @param currentRoots the roots in the replicated state now
     * @param proposer proposes a new list through Raft and returns when it is applied (or failed); may
     *     throw, which propagates
     * @param rootMaker makes new roots
     */
    public RootRotation(TrustSettings settings, BooleanSupplier isLeader, Supplier<TrustRoots> currentRoots,
            Function<TrustRoots, CompletionStage<?>> proposer, RootMaker rootMaker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.isLeader = Objects.requireNonNull(isLeader, "isLeader");
        this.currentRoots = Objects.requireNonNull(currentRoots, "currentRoots");
        this.proposer = Objects.requireNonNull(proposer, "proposer");
        this.rootMaker = Objects.requireNonNull(rootMaker, "rootMaker");
    }

    /** A rotation that makes roots with fresh keys of the configured type. */
    public static RootRotation withFreshKeys(TrustSettings settings, BooleanSupplier isLeader,
            Supplier<TrustRoots> currentRoots, Function<TrustRoots, CompletionStage<?>> proposer, SecureRandom random) {
        return new RootRotation(settings, isLeader, currentRoots, proposer,
                now -> Certificates.newRoot(settings, now, random));
    }

    /**
     * Rotates if this node leads, rotation is due, and no earlier rotation of this node is still on its
     * way through the log. Without that last rule a leader whose driver is slow to apply (or stalled) sees
     * the old roots at every check and piles a new root and proposal on the last one each interval; a
     * proposal that never settles stops blocking after one rotation age.
     *
     * @return the proposed list, or empty when nothing was done
     */
    public Optional<TrustRoots> rotateIfDue(Instant now) {
        if (!isLeader.getAsBoolean()) {
            return Optional.empty();
        }
        if (!inFlight.isDone() && now.isBefore(inFlightSince.plus(settings.rotationAge()))) {
            return Optional.empty();
        }
        TrustRoots roots = currentRoots.get();
        if (!RootRotationPolicy.isRotationDue(now, roots, settings)) {
            return Optional.empty();
        }
        TrustRoot fresh = rootMaker.newRoot(now);
        TrustRoots next = RootRotationPolicy.rotated(now, roots, fresh, settings);
        LOG.info(() -> "rotating trust roots: new root " + fresh.shortId() + ", keeping " + next.size() + " of "
                + (roots.size() + 1));
        inFlight = proposer.apply(next).toCompletableFuture();
        inFlightSince = now;
        return Optional.of(next);
    }
}
