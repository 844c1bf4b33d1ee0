package dev.ratchet.node;

import dev.ratchet.raft.Status;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the trust roots past every root a removed member held, so its copy of them (private keys
 * included) signs nothing the cluster accepts. Two replicated steps, on the leader:
 * <ol>
 *   <li>add a fresh root to the current list: members mint leaves from it and keep talking over the old
 *       ones meanwhile;</li>
 *   <li>once every remaining member acknowledged that entry (or after {@code catchUp}, whichever comes
 *       first), replace the list with the fresh root alone.</li>
 * </ol>
 * A member that had not applied step 1 by then (down, partitioned) shares no root with the others
 * afterwards; it gets the new list through the join path's refresh, which needs its membership and a
 * valid join token. Both steps are conditional on the roots they were made from
 * ({@link Command.SetRoots#replacing}): a scheduled rotation that lands in between makes a step re-read
 * the replicated roots and try again, so it can neither undo the revocation nor be undone by it. Never
 * blocks; thread-safe.
 */
final class RootRevocation {

    private static final Logger log = LoggerFactory.getLogger(RootRevocation.class);
    private static final long POLL_MILLIS = 50;
    /** How often a step re-reads and retries after another root change beat it. */
    private static final int ATTEMPTS = 5;

    private final Function<Command, CompletableFuture<CommandResult>> submit;
    private final Supplier<Status> status;
    private final Supplier<byte[]> replicated;
    private final Duration catchUp;

    /** @param replicated the serialized roots in this node's applied state now */
    RootRevocation(Function<Command, CompletableFuture<CommandResult>> submit, Supplier<Status> status,
            Supplier<byte[]> replicated, Duration catchUp) {
        this.submit = submit;
        this.status = status;
        this.replicated = replicated;
        this.catchUp = catchUp;
    }

    /**
     * Runs both steps from {@code held} (the list the removed member may know, read as the bytes
     * {@code base}); completes with the final list once it is applied here.
     */
    CompletableFuture<TrustRoots> rotatePastEvery(byte[] base, TrustRoots held, TrustRoots withFresh, TrustRoot fresh) {
        return addFresh(base, withFresh, fresh, ATTEMPTS).thenCompose(r -> {
            long index = r instanceof CommandResult.Done d ? d.revision() : Long.MAX_VALUE;
            return caughtUp(index, System.nanoTime() + catchUp.toNanos());
        }).thenCompose(v -> dropHeld(held, fresh, ATTEMPTS)).thenApply(only -> {
            log.info("trust roots rotated past all {} roots a removed member held; trusted now: {}", held.size(),
                    only.roots().stream().map(TrustRoot::shortId).toList());
            return only;
        });
    }

    private CompletableFuture<CommandResult> addFresh(byte[] base, TrustRoots next, TrustRoot fresh, int attempts) {
        return submit.apply(Command.SetRoots.replacing(base, TrustRootsCodec.encode(next))).thenCompose(r -> {
            if (!(r instanceof CommandResult.PreconditionFailed) || attempts <= 1) {
                return CompletableFuture.completedFuture(r);
            }
            byte[] now = replicated.get();
            return addFresh(now, with(decode(now), fresh), fresh, attempts - 1);
        });
    }

    /** Step 2: whatever the list is now, without any root the removed member held (the fresh one kept). */
    private CompletableFuture<TrustRoots> dropHeld(TrustRoots held, TrustRoot fresh, int attempts) {
        byte[] now = replicated.get();
        TrustRoots only = without(with(decode(now), fresh), held);
        return submit.apply(Command.SetRoots.replacing(now, TrustRootsCodec.encode(only))).thenCompose(r -> {
            if (r instanceof CommandResult.PreconditionFailed) {
                if (attempts <= 1) {
                    return CompletableFuture.failedFuture(new IllegalStateException("the trust roots kept changing while"
                            + " the removed member's roots were being dropped; rotate them again (POST /api/v1/admin/roots/rotate)"));
                }
                return dropHeld(held, fresh, attempts - 1);
            }
            return CompletableFuture.completedFuture(only);
        });
    }

    /** {@code roots} with {@code fresh} added (if missing), newest first. */
    static TrustRoots with(TrustRoots roots, TrustRoot fresh) {
        java.util.List<TrustRoot> all = new java.util.ArrayList<>(roots.roots());
        if (all.stream().noneMatch(r -> r.fingerprint().equals(fresh.fingerprint()))) {
            all.add(fresh);
        }
        all.sort(java.util.Comparator.comparing(TrustRoot::notBefore).reversed());
        return TrustRoots.of(all);
    }

    /** {@code roots} without any of {@code held}'s (never empty: the caller added a root held does not have). */
    static TrustRoots without(TrustRoots roots, TrustRoots held) {
        java.util.Set<String> gone = new java.util.HashSet<>();
        held.roots().forEach(r -> gone.add(r.fingerprint()));
        return TrustRoots.of(roots.roots().stream().filter(r -> !gone.contains(r.fingerprint())).toList());
    }

    private static TrustRoots decode(byte[] bytes) {
        try {
            return TrustRootsCodec.decode(bytes);
        } catch (dev.ratchet.trust.TrustFormatException e) {
            throw new IllegalStateException("the replicated trust roots do not decode: " + e.getMessage(), e);
        }
    }

    private CompletableFuture<Void> caughtUp(long index, long deadlineNanos) {
        Status s = status.get();
        if (allCaughtUp(s, index)) {
            return CompletableFuture.completedFuture(null);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            log.warn("members {} had not acknowledged the new trust root within {}; dropping the old roots anyway"
                    + " (they will fetch the new ones through the join path)", behind(s, index), catchUp);
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS))
                .thenCompose(v -> caughtUp(index, deadlineNanos));
    }

    /** True when every member of the configuration other than the leader has acknowledged {@code index}. */
    static boolean allCaughtUp(Status s, long index) {
        return behind(s, index).isEmpty();
    }

    private static TreeSet<String> behind(Status s, long index) {
        TreeSet<String> ids = new TreeSet<>(s.conf().voters());
        ids.addAll(s.conf().learners());
        ids.remove(s.id());
        ids.removeIf(id -> s.progress().get(id) != null && s.progress().get(id).match() >= index);
        return ids;
    }
}
