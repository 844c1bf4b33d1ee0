package dev.ratchet.storage;

import dev.ratchet.raft.Entry;

/**
 * The most recent contiguous entries, bounded by count and payload bytes, so that followers catching
 * up and the leader re-sending recent entries read from memory. A ring buffer: appends at the tail,
 * evicts at the head.
 */
final class EntryCache {

    private final Entry[] ring;
    private final long maxBytes;
    private int head;
    private int count;
    private long bytes;

    EntryCache(int maxEntries, long maxBytes) {
        this.ring = new Entry[maxEntries];
        this.maxBytes = maxBytes;
    }

    void append(Entry entry) {
        if (count > 0 && entry.index() != firstIndex() + count) {
            clear();
        }
        if (entry.sizeBytes() > maxBytes) {
            clear(); // Keeping it would evict everything else; the cache must stay contiguous.
            return;
        }
        if (count == ring.length) {
            removeHead();
        }
        ring[(head + count) % ring.length] = entry;
        count++;
        bytes += entry.sizeBytes();
        while (bytes > maxBytes) {
            removeHead();
        }
    }

    /** The cached entry, or null. */
    Entry get(long index) {
        if (count == 0) {
            return null;
        }
        long offset = index - firstIndex();
        if (offset < 0 || offset >= count) {
            return null;
        }
        return ring[(int) ((head + offset) % ring.length)];
    }

    void truncateFrom(long index) {
        while (count > 0 && firstIndex() + count - 1 >= index) {
            int tail = (head + count - 1) % ring.length;
            bytes -= ring[tail].sizeBytes();
            ring[tail] = null;
            count--;
        }
    }

    void dropThrough(long index) {
        while (count > 0 && firstIndex() <= index) {
            removeHead();
        }
    }

    void clear() {
        while (count > 0) {
            removeHead();
        }
    }

    private long firstIndex() {
        return ring[head].index();
    }

    private void removeHead() {
        bytes -= ring[head].sizeBytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
    }
}
