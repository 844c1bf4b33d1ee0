package dev.ratchet.storage;

import java.util.ArrayDeque;

/**
 * Which snapshots' WAL markers are durable, for compaction (issue 14). A snapshot file is durable when it is
 * saved, but its marker only once a sync started after the marker was written has been forced: until then a
 * crash leaves the file an orphan, and the two snapshots before it must still be there (the newest usable
 * one may turn out corrupt at the next start). With pipelined syncs several can be in flight, so a finished
 * sync covers the markers written before it was started and no others.
 *
 * <p>Threading: the storage's writer thread only. Never blocks, never throws.
 */
final class SnapshotMarkers {

    /** A marker not known durable: the snapshot index, and how many syncs were started before it was written. */
    private record Uncovered(long index, long syncsStartedBefore) { }

    private final ArrayDeque<Uncovered> uncovered = new ArrayDeque<>();
    private long durableIndex;

    /** @param durableIndex the index of the snapshot whose marker the storage opened with (durable) */
    SnapshotMarkers(long durableIndex) {
        this.durableIndex = durableIndex;
    }

    /** A marker for the snapshot at {@code index} was written after {@code syncsStartedBefore} syncs were started. */
    void written(long index, long syncsStartedBefore) {
        uncovered.addLast(new Uncovered(index, syncsStartedBefore));
    }

    /**
     * The sync numbered {@code syncNumber} (counting from 1 in start order) was forced.
     *
     * @return true if that made a newer marker durable
     */
    boolean synced(long syncNumber) {
        boolean advanced = false;
        while (!uncovered.isEmpty() && uncovered.peekFirst().syncsStartedBefore() < syncNumber) {
            durableIndex = Math.max(durableIndex, uncovered.pollFirst().index());
            advanced = true;
        }
        return advanced;
    }

    /** Everything written so far was forced (a full sync). @return true if that made a newer marker durable */
    boolean syncedAll() {
        return synced(Long.MAX_VALUE);
    }

    /** The index of the newest snapshot whose marker is durable. */
    long durableIndex() {
        return durableIndex;
    }
}
