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
 */
public record StorageOptions(
        long segmentBytes,
        int maxRecordBytes,
        int maxSnapshotBytes,
        int cacheEntries,
        long cacheBytes,
        int writeBufferBytes,
        long preallocateBytes) {

    public static final long MIB = 1024L * 1024;

    /** 64 MiB segments and records, 1 GiB snapshots, 64k / 64 MiB entry cache, 4 MiB write buffer and preallocation. */
    public static final StorageOptions DEFAULTS = new StorageOptions(
            64 * MIB, (int) (64 * MIB), (int) (1024 * MIB), 65_536, 64 * MIB, (int) (4 * MIB), 4 * MIB);

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
    }

    /** These options with another segment size. */
    public StorageOptions withSegmentBytes(long bytes) {
        return new StorageOptions(bytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes, writeBufferBytes,
                preallocateBytes);
    }

    /** These options with another entry cache bound. */
    public StorageOptions withCache(int entries, long bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, entries, bytes, writeBufferBytes,
                preallocateBytes);
    }

    /** These options with another preallocation step (0 disables preallocation). */
    public StorageOptions withPreallocateBytes(long bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes,
                writeBufferBytes, bytes);
    }

    /** These options with another write buffer bound (bytes buffered per segment before they go to the OS). */
    public StorageOptions withWriteBufferBytes(int bytes) {
        return new StorageOptions(segmentBytes, maxRecordBytes, maxSnapshotBytes, cacheEntries, cacheBytes, bytes,
                preallocateBytes);
    }
}
