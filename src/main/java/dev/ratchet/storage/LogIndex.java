package dev.ratchet.storage;

import java.util.Arrays;

/**
 * Term, WAL position and size of every entry in a contiguous index range {@code (base, base + size]}, so
 * that {@code term(i)} never touches the disk and an entry is read with one positional read. 20 bytes per
 * entry; snapshots keep the range short.
 */
final class LogIndex {

    private static final int INITIAL_CAPACITY = 1024;

    private long base;
    private long[] terms = new long[INITIAL_CAPACITY];
    private long[] positions = new long[INITIAL_CAPACITY];
    private int[] sizes = new int[INITIAL_CAPACITY];
    private int size;

    /** The index before the first entry (a snapshot index, or the start of the replayed WAL). */
    long base() {
        return base;
    }

    long firstIndex() {
        return base + 1;
    }

    long lastIndex() {
        return base + size;
    }

    boolean contains(long index) {
        return index > base && index <= base + size;
    }

    /** @param sizeBytes the entry's {@link dev.ratchet.raft.Entry#sizeBytes()}, for the catch-up margin's byte bound */
    void append(long index, long term, long position, long sizeBytes) {
        if (index != lastIndex() + 1) {
            throw new IllegalStateException("index " + index + " does not follow " + lastIndex());
        }
        if (size == terms.length) {
            if (size == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("log index full: take a snapshot");
            }
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L);
            terms = Arrays.copyOf(terms, capacity);
            positions = Arrays.copyOf(positions, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
        }
        terms[size] = term;
        positions[size] = position;
        sizes[size] = (int) Math.min(Integer.MAX_VALUE, sizeBytes);
        size++;
    }

    long term(long index) {
        return terms[slot(index)];
    }

    long position(long index) {
        return positions[slot(index)];
    }

    long sizeBytes(long index) {
        return sizes[slot(index)];
    }

    /** Drops every entry at or above {@code index}; at or below the base it empties the range there. */
    void truncateFrom(long index) {
        if (index <= base) {
            reset(index - 1);
        } else if (index <= lastIndex()) {
            size = (int) (index - base - 1);
        }
    }

    /** Drops every entry at or below {@code index}, which becomes the base if the range is emptied. */
    void dropThrough(long index) {
        if (index <= base) {
            return;
        }
        if (index >= lastIndex()) {
            reset(index);
            return;
        }
        int dropped = (int) (index - base);
        System.arraycopy(terms, dropped, terms, 0, size - dropped);
        System.arraycopy(positions, dropped, positions, 0, size - dropped);
        System.arraycopy(sizes, dropped, sizes, 0, size - dropped);
        size -= dropped;
        base = index;
        if (terms.length > INITIAL_CAPACITY && size < terms.length / 4) {
            int capacity = Math.max(INITIAL_CAPACITY, size * 2);
            terms = Arrays.copyOf(terms, capacity);
            positions = Arrays.copyOf(positions, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
        }
    }

    /** Empties the range; the next entry appended must be {@code newBase + 1}. */
    void reset(long newBase) {
        base = newBase;
        size = 0;
        if (terms.length > INITIAL_CAPACITY) {
            terms = new long[INITIAL_CAPACITY];
            positions = new long[INITIAL_CAPACITY];
            sizes = new int[INITIAL_CAPACITY];
        }
    }

    private int slot(long index) {
        if (!contains(index)) {
            throw new IllegalStateException("index " + index + " outside (" + base + ", " + lastIndex() + "]");
        }
        return (int) (index - base - 1);
    }
}
