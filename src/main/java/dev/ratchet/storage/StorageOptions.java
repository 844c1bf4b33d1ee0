package dev.ratchet.storage;

/**
 * Size limits of a {@link FileRaftStorage}.
 *
 * @param segmentBytes a WAL segment is closed and a new one started once it reaches this size
 * @param maxRecordBytes largest WAL record (one entry) accepted on write and believed on read; a
 *     corrupt length above it is reported as corruption instead of allocating the memory
 * @param maxSnapshotBytes largest snapshot data accepted on write and believed on read
 * @param cacheEntries at most this many recent entries are kept in memory
 * @param cacheBytes at most this many payload bytes of recent entries are kept in memory
 * @param writeBufferBytes buffered (not yet synced) WAL bytes beyond this are handed to the OS early,
 *     without forcing them, so that a large batch does not grow the heap without bound
 * @param preallocateBytes segments are extended with zeros in steps of this size (capped at the segment
 *     size) so that a sync rarely changes the file size; 0 disables
 * @param catchUpEntries a snapshot drops the log through its index except for up to this many entries at
 *     and below it, so that a follower slightly behind is sent entries, not the whole snapshot (etcd's
 *     {@code SnapshotCatchUpEntries}); 0 keeps none
 * @param catchUpBytes the same margin is also cut at this many entry bytes ({@link
 *     dev.ratchet.raft.Entry#sizeBytes()}), so that large entries do not pin unbounded WAL on disk
 */
public record StorageOptions(
        long segmentBytes,
        int maxRecordBytes,
        int maxSnapshotBytes,
        int cacheEntries,
        long cacheBytes,
        int writeBufferBytes,
        long preallocateBytes,
        long catchUpEntries,
        long catchUpBytes) {

    public static final long MIB = 1024L * 1024;

    /**
     * 64 MiB segments and records, 1 GiB snapshots, an entry cache of 64k entries and 64 MiB or a
     * sixteenth of the heap (whichever is less: with 16 KiB values the full 64 MiB, beside the WAL buffers,
     * the state and a snapshot being encoded, once filled a 256 MB heap), 4 MiB write buffer and
     * preallocation, a catch-up margin of 5,000 entries (etcd's default) or 64 MiB, whichever is less.
     */
    public static final StorageOptions DEFAULTS = new StorageOptions(
            64 * MIB, (int) (64 * MIB), (int) (1024 * MIB), 65_536,
            Math.min(64 * MIB, Runtime.getRuntime().maxMemory() / 16), (int) (4 * MIB), 4 * MIB, 5_000, 64 * MIB);

    public StorageOptions {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be >= 4096: " + segmentBytes);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1024: " + maxRecordBytes);
        }
        if (maxSnapshotBytes < 0 || maxSnapshotBytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("maxSnapshotBytes out of range: " + maxSnapshotBytes);
        }
        if (cacheEntries < 1 || cacheBytes < 0) {
            throw new IllegalArgumentException("cache limits must be positive: " + cacheEntries + ", " + cacheBytes);
        }
        if (preallocateBytes < 0) {
            throw new IllegalArgumentException("preallocateBytes must be >= 0: " + preallocateBytes);
        }
        if (writeBufferBytes < 4096) {
            throw new IllegalArgumentException("writeBufferBytes must be >= 4096: " + writeBufferBytes);
        }
        if (catchUpEntries < 0 || catchUpBytes < 0) {
            throw new IllegalArgumentException("catch-up margin must be >= 0: " + catchUpEntries + " entries, "
                    + catchUpBytes + " bytes");
        }
    }

    /** These options with another segment size. */
    public StorageOptions withSegmentBytes(long bytes) {
        return new StorageOptions(bytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes, writeBufferBytes,
                preallocateBytes, catchUpEntries, catchUpBytes);
    }

    /** These options with another entry cache bound. */
    public StorageOptions withCache(int entries, long bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, entries, bytes, writeBufferBytes,
                preallocateBytes, catchUpEntries, catchUpBytes);
    }

    /** These options with another preallocation step (0 disables preallocation). */
    public StorageOptions withPreallocateBytes(long bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes,
                writeBufferBytes, bytes, catchUpEntries, catchUpBytes);
    }

    /** These options with another write buffer bound (bytes buffered per segment before they go to the OS). */
    public StorageOptions withWriteBufferBytes(int bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes, bytes,
                preallocateBytes, catchUpEntries, catchUpBytes);
    }

    /** These options with another catch-up margin ({@code 0, 0} keeps no entries below a snapshot). */
    public StorageOptions withCatchUp(long entries, long bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes,
                writeBufferBytes, preallocateBytes, entries, bytes);
    }
}
