package dev.ratchet.lease;

import dev.ratchet.state.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's countdowns, as a pure function of the events it is told and the times it is given: no
 * clock of its own, no threads, so every decision is unit-tested on fake time.
 *
 * <p>Every node keeps a countdown per lease, so it knows every lease when it becomes leader; only a leader
 * reports leases as {@linkplain #due due}. Becoming leader restarts every countdown with the full TTL.
 * A due lease is reported again only after {@code retryNanos}, in case the first proposal was lost.
 *
 * <p>Thread-safe (synchronized): apply-thread events and the keeper's ticks interleave.
 */
public final class LeaseExpiry {

    private final long retryNanos;
    private final Map<Long, Countdown> countdowns = new HashMap<>();
    private boolean leader;

    private static final class Countdown {
        final long ttlNanos;
        long deadline;
        long proposedAt;
        boolean proposed;

        Countdown(long ttlNanos, long deadline) {
            this.ttlNanos = ttlNanos;
            this.deadline = deadline;
        }
    }

    public LeaseExpiry(long retryNanos) {
        this.retryNanos = retryNanos;
    }

    /** Tells whether this node leads now; becoming leader restarts every countdown at {@code now}. */
    public synchronized void leadership(boolean leads, long now) {
        if (leads && !leader) {
            for (Countdown c : countdowns.values()) {
                c.deadline = now + c.ttlNanos;
                c.proposed = false;
            }
        }
        leader = leads;
    }

    /** A lease was granted, or kept alive: its countdown restarts at {@code now}. */
    public synchronized void started(long id, long ttlMillis, long now) {
        long ttlNanos = ttlMillis * 1_000_000L;
        Countdown c = countdowns.get(id);
        if (c == null) {
            countdowns.put(id, new Countdown(ttlNanos, now + ttlNanos));
        } else {
            c.deadline = now + ttlNanos;
            c.proposed = false;
        }
    }

    /** A lease ended (revoked or expired through the log). */
    public synchronized void ended(long id) {
        countdowns.remove(id);
    }

    /** The lease table was replaced from a snapshot: every countdown restarts at {@code now}. */
    public synchronized void restored(List<Lease> leases, long now) {
        countdowns.clear();
        for (Lease l : leases) {
            started(l.id(), l.ttlMillis(), now);
        }
    }

    /**
     * The leases whose countdown ran out by {@code now} and that should be proposed for expiry now
     * (none unless this node leads). Marks them proposed.
     */
    public synchronized List<Long> due(long now) {
        List<Long> due = new ArrayList<>();
        if (!leader) {
            return due;
        }
        for (Map.Entry<Long, Countdown> e : countdowns.entrySet()) {
            Countdown c = e.getValue();
            if (now - c.deadline >= 0 && (!c.proposed || now - c.proposedAt >= retryNanos)) {
                c.proposed = true;
                c.proposedAt = now;
                due.add(e.getKey());
            }
        }
        due.sort(null);
        return due;
    }

    /** Nanoseconds left on a lease's countdown at {@code now}, or -1 if unknown here. */
    public synchronized long remainingNanos(long id, long now) {
        Countdown c = countdowns.get(id);
        return c == null ? -1 : Math.max(0, c.deadline - now);
    }
}
