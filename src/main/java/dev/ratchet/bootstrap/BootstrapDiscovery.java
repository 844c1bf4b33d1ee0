package dev.ratchet.bootstrap;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for a node with an empty data directory and {@code ratchet.bootstrap=true}, whether to found
 * a new cluster or to join an existing one, by asking the seed addresses ({@code ratchet.join-addresses})
 * until the answer is clear:
 * <ul>
 *   <li>any seed answers that it is a {@link BootstrapProbe.State#MEMBER}: <b>join</b> (a wiped founder
 *       never creates a second cluster beside the one its peers run);</li>
 *   <li>else, once {@code expect} distinct nodes (this one included) have answered that they are fresh,
 *       and no fresh founder with a lower node id answered: <b>bootstrap</b>. {@code expect = 0} means every
 *       seed address must have answered fresh. Seeds that do not answer (down, or restarting with their
 *       data) do not count, so a founder whose peers are only restarting waits for them and then joins.</li>
 * </ul>
 * It waits as long as it takes, asking again with backoff and logging every {@link #LOG_EVERY} why it is
 * still waiting; the process stays up (and answers the question itself) meanwhile.
 *
 * <p>Not thread-safe; one start-up uses one instance. Blocks in {@link #decide}.
 */
public final class BootstrapDiscovery {

    private static final Logger log = LoggerFactory.getLogger(BootstrapDiscovery.class);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final long MIN_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    /** Asks one seed; empty if it did not answer or its answer did not authenticate. */
    @FunctionalInterface
    public interface Prober {
        Optional<BootstrapProbe.Answer> ask(URI seed) throws InterruptedException;
    }

    /** Waits between rounds (real sleeping in production, fake time in tests). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** Found or join, with the round's evidence for the log. */
    public record Decision(boolean bootstrap, String reason) {
    }

    private final String selfId;
    private final List<URI> seeds;
    private final int expect;
    private final Prober prober;
    private final Pause pause;
    private final LongSupplier nanoClock;

    /**
     * @param selfId this node's id (its own answer, from its own address among the seeds, is recognised)
     * @param seeds the API URLs to ask
     * @param expect nodes that must be fresh before founding, this one included; 0 for every seed
     * @throws IllegalArgumentException if {@code expect} is negative, or above 1 with no seed to ask
     */
    public BootstrapDiscovery(String selfId, List<URI> seeds, int expect, Prober prober, Pause pause,
            LongSupplier nanoClock) {
        if (expect < 0) {
            throw new IllegalArgumentException("ratchet.bootstrap-expect must be 0 (every seed) or more, not " + expect);
        }
        if (expect > 1 && seeds.isEmpty()) {
            throw new IllegalArgumentException("ratchet.bootstrap-expect=" + expect
                    + " needs ratchet.join-addresses listing the API URLs of the other seeds");
        }
        this.selfId = selfId;
        this.seeds = List.copyOf(seeds);
        this.expect = expect;
        this.prober = prober;
        this.pause = pause;
        this.nanoClock = nanoClock;
    }

    /** Asks until the answer is clear; see the class comment. Blocks; interruptible. */
    public Decision decide() throws InterruptedException {
        if (seeds.isEmpty()) {
            return new Decision(true, "no seed addresses to ask (ratchet.join-addresses is empty)");
        }
        long backoff = MIN_BACKOFF_MILLIS;
        long lastLog = nanoClock.getAsLong() - LOG_EVERY.toNanos();
        while (true) {
            Round round = askAll();
            if (!round.members.isEmpty()) {
                Map.Entry<String, String> first = round.members.entrySet().iterator().next();
                return new Decision(false, "seed " + first.getKey() + " is a member of cluster "
                        + (first.getValue().isEmpty() ? "(id not known)" : first.getValue()) + "; joining it");
            }
            String blocker = round.founders.stream().filter(f -> f.compareTo(selfId) < 0).findFirst().orElse(null);
            boolean enough = expect == 0 ? round.unanswered.isEmpty() : round.fresh.size() >= expect;
            if (enough && blocker == null) {
                return new Decision(true, "fresh nodes " + round.fresh + " answered"
                        + (expect == 0 ? " from every seed" : " (bootstrap-expect " + expect + ")")
                        + " and no seed has a cluster");
            }
            if (nanoClock.getAsLong() - lastLog >= LOG_EVERY.toNanos()) {
                lastLog = nanoClock.getAsLong();
                log.warn("not bootstrapping yet: fresh nodes {} of {} expected, no answer from {}{}; asking again",
                        round.fresh, expect == 0 ? "every seed" : expect, round.unanswered,
                        blocker == null ? "" : ", founder " + blocker + " has a lower id and founds instead");
            }
            pause.pause(Duration.ofMillis(backoff));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private Round askAll() throws InterruptedException {
        Round round = new Round();
        round.fresh.add(selfId);
        for (URI seed : seeds) {
            Optional<BootstrapProbe.Answer> answer = prober.ask(seed);
            if (answer.isEmpty()) {
                round.unanswered.add(seed);
                continue;
            }
            BootstrapProbe.Answer a = answer.get();
            switch (a.state()) {
                case MEMBER -> round.members.put(a.nodeId(), a.clusterId() == null ? "" : a.clusterId());
                case FOUNDER -> {
                    round.fresh.add(a.nodeId());
                    if (!a.nodeId().equals(selfId)) {
                        round.founders.add(a.nodeId());
                    }
                }
                case FRESH -> round.fresh.add(a.nodeId());
                default -> throw new IllegalStateException(a.state().toString());
            }
        }
        return round;
    }

    private static final class Round {
        final TreeSet<String> fresh = new TreeSet<>();
        final TreeSet<String> founders = new TreeSet<>();
        final Map<String, String> members = new TreeMap<>();
        final List<URI> unanswered = new ArrayList<>();
    }
}
