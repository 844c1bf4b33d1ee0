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
 * valid join token. Never blocks; thread-safe.
 */
final class RootRevocation {

    private static final Logger log = LoggerFactory.getLogger(RootRevocation.class);
    private static final long POLL_MILLIS = 50;

    private final Function<Command, CompletableFuture<CommandResult>> submit;
    private final Supplier<Status> status;
    private final Duration catchUp;

    RootRevocation(Function<Command, CompletableFuture<CommandResult>> submit, Supplier<Status> status, Duration catchUp) {
        this.submit = submit;
        this.status = status;
        this.catchUp = catchUp;
    }

    /** Runs both steps from {@code current}; completes with the final list once it is applied here. */
    CompletableFuture<TrustRoots> rotatePastEvery(TrustRoots current, TrustRoots withFresh, TrustRoot fresh) {
        TrustRoots only = TrustRoots.of(fresh);
        return submit.apply(new Command.SetRoots(TrustRootsCodec.encode(withFresh))).thenCompose(r -> {
            long index = r instanceof CommandResult.Done d ? d.revision() : Long.MAX_VALUE;
            return caughtUp(index, System.nanoTime() + catchUp.toNanos());
        }).thenCompose(v -> submit.apply(new Command.SetRoots(TrustRootsCodec.encode(only)))).thenApply(r -> {
            log.info("trust roots rotated past all {} roots a removed member held; only {} is trusted now",
                    current.size(), fresh.shortId());
            return only;
        });
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
