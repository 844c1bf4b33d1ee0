package dev.ratchet.artifacts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The one owner of this node's etag index: which blobs are on local disk, which are pinned by uploads in
 * flight, which the replicated index references but this node still lacks (wanted), and who waits for
 * them. Every publication, deletion and fetch decision about a blob goes through here.
 *
 * <p>Locking (the lesson of the seed's Etags.Remove/RemoveAll deadlock, commit 2b579b5): every public
 * method takes the single lock itself; the private {@code ...Locked} methods assume it is held and never
 * take it again or call a public method. No callback, future completion or network call runs under the
 * lock: completions are collected and run after unlock. The only work under the lock besides memory is a
 * rename or unlink in {@link BlobStore}, so publish and garbage collection cannot interleave.
 */
public final class EtagIndex {

    /** Most etags that may be wanted at once; more are picked up by later reconciliation rounds. */
    static final int MAX_WANTED = 100_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final BlobStore store;
    private final LongSupplier nanoClock;
    private final Map<String, Local> local = new HashMap<>();
    private final Map<String, Want> wanted = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> arrivals = new HashMap<>();
    private long localBytes;

    /** A blob on disk. {@code touchedNanos}: last publish or pin release, for the GC grace period. */
    private static final class Local {
        final long size;
        int pins;
        long touchedNanos;

        Local(long size, long now) {
            this.size = size;
            this.touchedNanos = now;
        }
    }

    /** A blob referenced by the replicated index and missing here. */
    private static final class Want {
        final long size;
        final String holder;
        boolean queued;
        boolean fetching;

        Want(long size, String holder) {
            this.size = size;
            this.holder = holder;
        }
    }

    /** What a fetch worker needs: the etag, its size and the node that published it. */
    public record FetchTask(String etag, long size, String holder) {
    }

    /** Counts for metrics. */
    public record Counts(long localBlobs, long localBytes, long wanted, long fetching) {
    }

    public EtagIndex(BlobStore store, LongSupplier nanoClock) {
        this.store = store;
        this.nanoClock = nanoClock;
    }

    /** Adds the blobs found on disk at start-up. */
    public void seed(List<BlobStore.Staged> onDisk) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            for (BlobStore.Staged b : onDisk) {
                if (local.putIfAbsent(b.etag(), new Local(b.size(), now)) == null) {
                    localBytes += b.size();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes a staged upload under its etag and pins it, so garbage collection leaves it alone until the
     * pin is released (after the put was applied here, or failed).
     *
     * @throws IOException if the rename fails; the staged file is then discarded
     */
    public Pin publishPinned(BlobStore.Staged staged) throws IOException {
        CompletableFuture<Void> arrived;
        lock.lock();
        try {
            arrived = publishLocked(staged);
            local.get(staged.etag()).pins++;
        } finally {
            lock.unlock();
        }
        complete(arrived);
        return new Pin(staged.etag());
    }

    /** Publishes a blob fetched from a peer (its digest already verified) and clears the want. */
    public void publishFetched(BlobStore.Staged staged) throws IOException {
        CompletableFuture<Void> arrived;
        lock.lock();
        try {
            arrived = publishLocked(staged);
            wanted.remove(staged.etag());
        } finally {
            lock.unlock();
        }
        complete(arrived);
    }

    private CompletableFuture<Void> publishLocked(BlobStore.Staged staged) throws IOException {
        try {
            store.publish(staged);
        } catch (IOException e) {
            store.discard(staged);
            throw e;
        }
        long now = nanoClock.getAsLong();
        Local existing = local.get(staged.etag());
        if (existing == null) {
            local.put(staged.etag(), new Local(staged.size(), now));
            localBytes += staged.size();
        } else {
            existing.touchedNanos = now;
        }
        return arrivals.remove(staged.etag());
    }

    /** Releases one pin taken by {@link #publishPinned}. */
    public final class Pin implements AutoCloseable {
        private final String etag;
        private boolean released;

        private Pin(String etag) {
            this.etag = etag;
        }

        public String etag() {
            return etag;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                Local l = local.get(etag);
                if (l != null) {
                    l.pins--;
                    l.touchedNanos = nanoClock.getAsLong();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Records that the replicated index references {@code etag}.
     *
     * @return a task to queue for a fetch worker, or null if the blob is here, already queued or being
     *     fetched, or too many blobs are wanted already
     */
    public FetchTask want(String etag, long size, String holder) {
        lock.lock();
        try {
            return wantLocked(etag, size, holder);
        } finally {
            lock.unlock();
        }
    }

    private FetchTask wantLocked(String etag, long size, String holder) {
        if (local.containsKey(etag)) {
            return null;
        }
        Want w = wanted.get(etag);
        if (w == null) {
            if (wanted.size() >= MAX_WANTED) {
                return null;
            }
            w = new Want(size, holder);
            wanted.put(etag, w);
        }
        if (w.queued || w.fetching) {
            return null;
        }
        w.queued = true;
        return new FetchTask(etag, w.size, w.holder);
    }

    /** The queue refused the task returned by {@link #want}; a later round will offer it again. */
    public void notQueued(String etag) {
        lock.lock();
        try {
            Want w = wanted.get(etag);
            if (w != null) {
                w.queued = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker takes a queued task. Returns false if the blob arrived or stopped being wanted meanwhile,
     * in which case there is nothing to fetch.
     */
    public boolean startFetch(String etag) {
        lock.lock();
        try {
            Want w = wanted.get(etag);
            if (w == null || local.containsKey(etag)) {
                wanted.remove(etag);
                return false;
            }
            w.queued = false;
            w.fetching = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Every peer failed; the blob stays wanted and a later reconciliation round retries. */
    public void fetchFailed(String etag) {
        lock.lock();
        try {
            Want w = wanted.get(etag);
            if (w != null) {
                w.fetching = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes when the blob is on local disk (at once if it is). Fails if the blob stops being wanted
     * (its artifact was deleted) before it arrives.
     */
    public CompletableFuture<Void> arrival(String etag) {
        lock.lock();
        try {
            if (local.containsKey(etag)) {
                return CompletableFuture.completedFuture(null);
            }
            return arrivals.computeIfAbsent(etag, e -> new CompletableFuture<>());
        } finally {
            lock.unlock();
        }
    }

    public boolean isLocal(String etag) {
        lock.lock();
        try {
            return local.containsKey(etag);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reconciles against the etags the replicated index references (read after {@code referencedAsOfNanos}):
     * forgets wants for unreferenced blobs, and deletes local blobs that are unreferenced, unpinned, and
     * untouched since {@code graceNanos} before that reading, so that an upload whose put was still on its
     * way when the index was read keeps its blob.
     *
     * @return the number of blobs deleted
     */
    public int collectGarbage(Set<String> referenced, long referencedAsOfNanos, long graceNanos) {
        List<CompletableFuture<Void>> abandoned = new ArrayList<>();
        int deleted = 0;
        lock.lock();
        try {
            Iterator<Map.Entry<String, Want>> wants = wanted.entrySet().iterator();
            while (wants.hasNext()) {
                Map.Entry<String, Want> e = wants.next();
                if (!referenced.contains(e.getKey()) && !e.getValue().fetching) {
                    wants.remove();
                }
            }
            Iterator<Map.Entry<String, CompletableFuture<Void>>> waits = arrivals.entrySet().iterator();
            while (waits.hasNext()) {
                Map.Entry<String, CompletableFuture<Void>> e = waits.next();
                if (!referenced.contains(e.getKey()) && !wanted.containsKey(e.getKey())) {
                    abandoned.add(e.getValue());
                    waits.remove();
                }
            }
            Iterator<Map.Entry<String, Local>> blobs = local.entrySet().iterator();
            while (blobs.hasNext()) {
                Map.Entry<String, Local> e = blobs.next();
                Local l = e.getValue();
                if (referenced.contains(e.getKey()) || l.pins > 0
                        || l.touchedNanos - (referencedAsOfNanos - graceNanos) >= 0) {
                    continue;
                }
                try {
                    store.delete(e.getKey());
                } catch (IOException ex) {
                    continue; // stays indexed; the next round tries again
                }
                blobs.remove();
                localBytes -= l.size;
                deleted++;
            }
        } finally {
            lock.unlock();
        }
        ArtifactRemovedException gone = new ArtifactRemovedException();
        abandoned.forEach(f -> f.completeExceptionally(gone));
        return deleted;
    }

    public Counts counts() {
        lock.lock();
        try {
            long fetching = wanted.values().stream().filter(w -> w.fetching).count();
            return new Counts(local.size(), localBytes, wanted.size(), fetching);
        } finally {
            lock.unlock();
        }
    }

    private static void complete(CompletableFuture<Void> arrived) {
        if (arrived != null) {
            arrived.complete(null);
        }
    }

    /** The blob a reader waited for is no longer referenced. */
    public static final class ArtifactRemovedException extends RuntimeException {
        ArtifactRemovedException() {
            super("the artifact was removed while its blob was being fetched");
        }
    }
}
