package dev.ratchet.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Admission for bytes entering the blob store, uploads and replica fetches alike, against
 * {@link StorageLimits}: the quota counts the blobs on disk plus every reservation in progress, and the
 * free-space reserve counts the volume's usable space minus what reservations in progress still have to
 * write. A reservation is taken before the first byte is written (with the declared size, or 0 when
 * unknown) and grows as bytes arrive, so a chunked upload is stopped as soon as it passes a limit.
 * Removing blobs never needs a reservation.
 *
 * <p>Thread-safe: one lock over a few counters; the only I/O under it is asking the volume for its
 * usable space (a {@code statvfs}).
 */
public final class StorageBudget {

    /** The volume's usable bytes now. */
    @FunctionalInterface
    public interface Volume {
        /** @throws IOException if the file system cannot tell */
        long usableBytes() throws IOException;

        /** The file store holding {@code path}. */
        static Volume of(Path path) {
            return () -> Files.getFileStore(path).getUsableSpace();
        }
    }

    private final StorageLimits limits;
    private final LongSupplier storedBytes;
    private final Volume volume;
    /** Sum over open reservations of max(declared, written). */
    private long reserved;
    /** Sum over open reservations of max(0, declared - written): space they will still take. */
    private long unwritten;

    /**
     * @param storedBytes bytes of the blobs on disk now
     * @param volume the blob store's volume
     */
    public StorageBudget(StorageLimits limits, LongSupplier storedBytes, Volume volume) {
        this.limits = limits;
        this.storedBytes = storedBytes;
        this.volume = volume;
    }

    /** The limits this budget enforces. */
    public StorageLimits limits() {
        return limits;
    }

    /**
     * Reserves room for {@code declaredBytes} (0 when unknown; the reservation then grows as bytes arrive).
     *
     * @param what words for the refusal, e.g. "an upload of 'a/b' (12 bytes)"
     * @throws ArtifactStoreFullException when that would pass the quota or the free-space reserve
     */
    public synchronized Reservation reserve(long declaredBytes, String what) throws ArtifactStoreFullException {
        long declared = Math.max(0, declaredBytes);
        check(declared, declared, what);
        reserved += declared;
        unwritten += declared;
        return new Reservation(declared);
    }

    /** Checks the limits as if reservations grew by {@code moreReserved} and their unwritten part by {@code unwrittenChange}. */
    private void check(long moreReserved, long unwrittenChange, String what) throws ArtifactStoreFullException {
        long quota = limits.quotaBytes();
        if (quota > 0) {
            long wouldUse = storedBytes.getAsLong() + reserved + moreReserved;
            if (wouldUse > quota) {
                throw new ArtifactStoreFullException("ratchet.artifacts.quota", what + " would take the artifact store to "
                        + wouldUse + " bytes, over its quota of " + quota + " bytes (ratchet.artifacts.quota);"
                        + " delete artifacts to make room or raise the quota");
            }
        }
        long minFree = limits.minFreeBytes();
        if (minFree > 0) {
            long usable;
            try {
                usable = volume.usableBytes();
            } catch (IOException e) {
                throw new ArtifactStoreFullException("ratchet.artifacts.min-free-space", what
                        + " refused: cannot read the free space of the blob store's volume: " + e.getMessage());
            }
            long left = usable - (unwritten + unwrittenChange);
            if (left < minFree) {
                throw new ArtifactStoreFullException("ratchet.artifacts.min-free-space", what + " would leave "
                        + Math.max(left, 0) + " bytes free on the blob store's volume, under the reserve of " + minFree
                        + " bytes (ratchet.artifacts.min-free-space); delete artifacts or free the disk");
            }
        }
    }

    /** Room held for one upload or fetch until closed; not thread-safe itself (one writer uses it). */
    public final class Reservation implements AutoCloseable {
        private final long declared;
        private long written;
        private boolean closed;

        private Reservation(long declared) {
            this.declared = declared;
        }

        /**
         * Records that {@code totalWritten} bytes are now on disk, checking the limits again for bytes
         * beyond the declared size and for the free space (another writer may have used it meanwhile).
         *
         * @throws ArtifactStoreFullException when a limit is passed; the caller stops writing
         */
        public void written(long totalWritten, String what) throws ArtifactStoreFullException {
            synchronized (StorageBudget.this) {
                long beyond = Math.max(0, totalWritten - Math.max(declared, written));
                long unwrittenBefore = Math.max(0, declared - written);
                long unwrittenAfter = Math.max(0, declared - totalWritten);
                check(beyond, unwrittenAfter - unwrittenBefore, what);
                reserved += beyond;
                unwritten += unwrittenAfter - unwrittenBefore;
                written = Math.max(written, totalWritten);
            }
        }

        /** Gives the room back (the bytes are published, now counted as stored, or deleted). */
        @Override
        public void close() {
            synchronized (StorageBudget.this) {
                if (closed) {
                    return;
                }
                closed = true;
                reserved -= Math.max(declared, written);
                unwritten -= Math.max(0, declared - written);
            }
        }
    }
}
