package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The last document changes this node applied, bounded by the number of revisions and by their bytes,
 * for watches and blocking reads. It is local to the node (not replicated, not in snapshots): it covers
 * every change from {@link #firstCovered()} on, and a node that installs a snapshot or restarts covers
 * only what it applied since.
 *
 * <p>Threading: {@link #append} and {@link #reset} are called by the applying thread (inside the state's
 * write lock, so that a reader of both never sees the state ahead of the history); reads may come from
 * any thread and take no lock, so that however many watchers read at once they never hold up the
 * applying thread (which is the Raft loop: a history lock shared with hundreds of watch turns stalled
 * it long enough to cost the leader its term). Writers take a lock among themselves only. Listeners
 * run on the applying thread after the state's lock is released and must not block.
 *
 * <p>Publication order makes lock-free reads safe: a batch is in the map before {@link #head} names
 * its revision, and {@link #firstCovered} moves before a batch leaves the map, so a reader that reads
 * the head first, then the map, then {@code firstCovered} again either saw every batch it needed or
 * learns that some may have left.
 */
public final class ChangeHistory {

    /** Default bound on retained revisions that changed documents. */
    public static final int DEFAULT_MAX_REVISIONS = 10_000;
    /**
     * Default bound on the bytes the retained changes hold: 64 MiB, but at most 1/16 of the heap. The
     * history sits on the heap beside the documents (whose quota is 1/4 of it) and the Raft entry cache,
     * so on a small heap it takes its share rather than a fixed 64 MiB.
     */
    public static final long DEFAULT_MAX_BYTES = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16);

    private final ConcurrentSkipListMap<Long, ChangeBatch> batches = new ConcurrentSkipListMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int maxRevisions = DEFAULT_MAX_REVISIONS;
    private long maxBytes = DEFAULT_MAX_BYTES;
    /** Bytes of the retained batches; written and read under the writers' lock. */
    private long bytes;
    /** Every change at a revision >= this is retained. */
    private volatile long firstCovered = 1;
    /** The last revision (log index) this history has been told about, with or without changes. */
    private volatile long head;

    /** Thrown when a reader asks for revisions that were already dropped. */
    public static final class CompactedException extends RuntimeException {
        private final long oldestAvailable;

        CompactedException(long requested, long oldestAvailable) {
            super("revision " + requested + " is no longer in this node's change history; the oldest available is "
                    + oldestAvailable);
            this.oldestAvailable = oldestAvailable;
        }

        /** The smallest revision a reader may start from now. */
        public long oldestAvailable() {
            return oldestAvailable;
        }
    }

    /** What {@link #read} found: batches in revision order, and the revision the reader is complete to. */
    public record Slice(List<ChangeBatch> batches, long through) {
    }

    /** Sets the bounds; takes effect with the next append. Both must be positive. */
    public synchronized void setLimits(int maxRevisions, long maxBytes) {
        if (maxRevisions < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("history limits must be positive");
        }
        this.maxRevisions = maxRevisions;
        this.maxBytes = maxBytes;
    }

    /** Called (on the applying thread, no lock held) after each applied entry. Must not block. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void notifyListeners() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Records the entry at {@code revision}, with its changes (possibly none). */
    synchronized void append(long revision, List<Change> changes) {
        if (revision <= head) {
            throw new IllegalStateException("history append at " + revision + " after " + head);
        }
        if (changes.isEmpty()) {
            head = revision;
            return;
        }
        ChangeBatch batch = new ChangeBatch(revision, changes);
        batches.put(revision, batch);
        bytes += batch.sizeBytes();
        head = revision; // after the put: a reader that sees this head finds the batch
        while (batches.size() > maxRevisions || (bytes > maxBytes && batches.size() > 1)) {
            Map.Entry<Long, ChangeBatch> oldest = batches.firstEntry();
            firstCovered = oldest.getKey() + 1; // before the removal: see the class comment
            batches.remove(oldest.getKey());
            bytes -= oldest.getValue().sizeBytes();
        }
    }

    /** Forgets everything: the state was replaced by a snapshot at {@code revision}. */
    synchronized void reset(long revision) {
        firstCovered = revision + 1; // first: a reader racing the clear learns it may have missed batches
        batches.clear();
        bytes = 0;
        head = revision;
    }

    /** The smallest revision whose changes are all retained. Lock-free. */
    public long firstCovered() {
        return firstCovered;
    }

    /** The last revision applied on this node. Lock-free. */
    public long head() {
        return head;
    }

    /**
     * Up to {@code maxBatches} batches at revisions {@code >= fromRevision} with a change under
     * {@code prefix}. {@link Slice#through} is the revision up to which the reader has now seen everything
     * (the head when the slice is not cut short by {@code maxBatches}); it may be below
     * {@code fromRevision - 1} when the reader asked for a revision not applied here yet.
     *
     * @throws CompactedException if changes at {@code fromRevision} may have been dropped
     */
    public Slice read(long fromRevision, String prefix, int maxBatches) {
        long through = head; // first: every batch up to it is in the map unless it has since left
        if (fromRevision < firstCovered) {
            throw new CompactedException(fromRevision, firstCovered);
        }
        List<ChangeBatch> found = new ArrayList<>();
        for (ChangeBatch b : batches.tailMap(fromRevision, true).values()) {
            if (b.revision() > through) {
                break; // appended after this read began; the next read takes it
            }
            List<Change> matching = b.under(prefix);
            if (matching.isEmpty()) {
                continue;
            }
            if (found.size() == maxBatches) {
                through = found.get(found.size() - 1).revision();
                break;
            }
            found.add(matching.size() == b.changes().size() ? b : new ChangeBatch(b.revision(), matching));
        }
        long covered = firstCovered;
        if (fromRevision < covered) {
            // Batches left (bound or reset) while this read ran: it may have missed some of them.
            throw new CompactedException(fromRevision, covered);
        }
        return new Slice(found, through);
    }

    /** Retained batch count and bytes, for metrics and tests. */
    public synchronized long[] size() {
        return new long[] {batches.size(), bytes};
    }
}
