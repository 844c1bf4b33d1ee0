package dev.ratchet.watch;

import dev.ratchet.state.ChangeBatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The SSE frames of recent change batches, per revision and watched prefix, so that a batch that many
 * watchers of one prefix are sent is turned into JSON once, not once per watcher. A revision's changes
 * never change once applied (the log decides them), so an entry never goes stale; the cache only forgets,
 * oldest revisions first, beyond a bound on revisions and bytes.
 *
 * <p>Thread-safe: called from every sender thread at once; lookups take no lock, inserts a short one.
 * Two threads that miss together both encode (the same bytes): a little work, never a wrong frame.
 */
final class EncodedBatches {

    private final int maxRevisions;
    private final long maxBytes;
    private final ConcurrentSkipListMap<Long, Map<String, byte[]>> byRevision = new ConcurrentSkipListMap<>();
    /** Frame bytes in the map; guarded by this object's lock, like every change to the map. */
    private long bytes;

    EncodedBatches(int maxRevisions, long maxBytes) {
        this.maxRevisions = maxRevisions;
        this.maxBytes = maxBytes;
    }

    /**
     * The {@code change} frame of {@code batch} as watchers of {@code prefix} see it ({@code batch} holds
     * only the changes under that prefix). Does not block beyond the map's own short locks.
     */
    byte[] frame(String prefix, ChangeBatch batch) {
        Map<String, byte[]> frames = byRevision.get(batch.revision());
        byte[] frame = frames == null ? null : frames.get(prefix);
        if (frame != null) {
            return frame;
        }
        frame = SseFrames.frame(Long.toString(batch.revision()), "change", WatchEvents.changes(batch));
        if (frame.length <= maxBytes / 16) { // a huge batch is encoded per watcher rather than evicting everything
            remember(batch.revision(), prefix, frame);
        }
        return frame;
    }

    /** Inserts and evicts under one lock, so the byte count matches the map; lookups take no lock. */
    private synchronized void remember(long revision, String prefix, byte[] frame) {
        Map<String, byte[]> slot = byRevision.computeIfAbsent(revision, r -> new ConcurrentHashMap<>());
        if (slot.putIfAbsent(prefix, frame) == null) {
            bytes += frame.length;
        }
        evict();
    }

    private void evict() {
        while (byRevision.size() > maxRevisions || bytes > maxBytes) {
            Map.Entry<Long, Map<String, byte[]>> oldest = byRevision.pollFirstEntry();
            if (oldest == null) {
                return;
            }
            for (byte[] f : oldest.getValue().values()) {
                bytes -= f.length;
            }
        }
    }

    /** Cached bytes now (tests). */
    synchronized long bytes() {
        return bytes;
    }
}
