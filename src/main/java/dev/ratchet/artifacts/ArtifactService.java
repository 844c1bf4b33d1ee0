package dev.ratchet.artifacts;

import dev.ratchet.node.PeerRequestTypes;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.ArtifactRecord;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.KeyPaths;
import dev.ratchet.transport.PeerTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicated artifacts on one node. An upload is streamed to a content-addressed blob here (temporary
 * file, fsync, rename), pinned, and only then is a {@link Command.PutArtifact} (path, etag, size, this
 * node as holder) proposed; the log never carries file bodies. Every node applying the put fetches the
 * blob by etag from a peer, verifying its SHA-256 before publishing it. A reconciliation round (periodic,
 * and at once after a snapshot restore) re-queues every referenced blob this node lacks and collects
 * blobs nothing references.
 *
 * <p>Thread-safety: every public method may be called from any thread. {@link #put} and {@link #open}
 * block (disk, and waiting for a blob); the futures they and the other writes return complete on Raft or
 * fetch threads. Listener callbacks from {@link ClusterState} only take the {@link EtagIndex} lock
 * briefly and queue work; they never block the applying thread.
 */
public final class ArtifactService implements ClusterState.ArtifactListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArtifactService.class);

    private final String nodeId;
    private final Replicator replicator;
    private final PeerTransport transport;
    private final ArtifactSettings settings;
    private final BooleanSupplier replicaCurrent;
    private final BlobStore store;
    private final EtagIndex index;
    private final StorageBudget budget;
    private final BlobFetcher fetcher;
    private final BlobServer server;
    private final ScheduledExecutorService reconciler;
    private final LongAdder collected = new LongAdder();
    private final LongAdder rounds = new LongAdder();

    /**
     * Opens the blob store under {@code blobDir} and indexes the blobs already there.
     *
     * @param replicaCurrent true once this node's replica has applied what the cluster committed; until
     *     then (after a restart) no blob is collected, since a put not yet replayed here may need it
     * @throws IOException if the blob directory cannot be opened
     */
    public ArtifactService(String nodeId, Path blobDir, Replicator replicator, PeerTransport transport,
            ArtifactSettings settings, BooleanSupplier replicaCurrent) throws IOException {
        this(nodeId, blobDir, replicator, transport, settings, StorageLimits.none(), replicaCurrent);
    }

    /**
     * As above, with limits on the disk the blobs may take: checked before an upload is staged (and as
     * its bytes arrive) and before a replica is fetched from a peer.
     *
     * @throws IOException if the blob directory cannot be opened
     */
    public ArtifactService(String nodeId, Path blobDir, Replicator replicator, PeerTransport transport,
            ArtifactSettings settings, StorageLimits limits, BooleanSupplier replicaCurrent) throws IOException {
        this.nodeId = nodeId;
        this.replicator = replicator;
        this.transport = transport;
        this.settings = settings;
        this.replicaCurrent = replicaCurrent;
        this.store = new BlobStore(blobDir);
        this.index = new EtagIndex(store, System::nanoTime);
        index.seed(store.scan());
        this.budget = new StorageBudget(limits, () -> index.counts().localBytes(), StorageBudget.Volume.of(store.root()));
        this.fetcher = new BlobFetcher(nodeId, store, index, transport, this::otherMembers,
                settings.fetchThreads(), settings.fetchQueue(), settings.fetchAttemptTimeout(), budget);
        this.server = new BlobServer(store, index, settings.serveConcurrency(), settings.chunkBytes());
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ratchet-artifacts-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves blobs to peers, listens to the artifact index and starts periodic reconciliation. */
    public void start() {
        transport.registerStreamHandler(PeerRequestTypes.FETCH_BLOB, server);
        replicator.state().addArtifactListener(this);
        long every = settings.reconcileInterval().toMillis();
        reconciler.scheduleWithFixedDelay(this::reconcileSafely, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Streams {@code body} into a local blob and proposes the put.
     *
     * @param contentLength the declared length, or -1
     * @return completes with the command's result once applied here ({@link CommandResult.Written} carries
     *     the etag, {@link CommandResult.PreconditionFailed} the current one)
     * @throws BlobStore.BlobTooLargeException above {@link ArtifactSettings#maxSize()}
     * @throws ArtifactStoreFullException when the upload would pass the quota or the free-space reserve:
     *     before reading the body if its declared length already does, else as soon as it does
     * @throws BlobStore.LengthMismatchException if the body's length differs from {@code contentLength}
     * @throws KeyPaths.InvalidPathException for a bad path
     * @throws IOException if reading the body or writing the disk fails; nothing is left behind
     */
    public CompletableFuture<CommandResult> put(String path, InputStream body, long contentLength, String ifMatch,
            boolean createOnly) throws IOException {
        KeyPaths.requireValid(path);
        if (ifMatch != null && createOnly) {
            throw new IllegalArgumentException("If-Match and If-None-Match: * cannot be combined");
        }
        if (contentLength > settings.maxSize()) {
            throw new BlobStore.BlobTooLargeException("artifact of " + contentLength
                    + " bytes exceeds the limit of " + settings.maxSize() + " bytes");
        }
        String what = "an upload to '" + path + "'" + (contentLength >= 0 ? " of " + contentLength + " bytes" : "");
        EtagIndex.Pin pin;
        BlobStore.Staged staged;
        try (StorageBudget.Reservation room = budget.reserve(contentLength, what)) {
            staged = store.stage(body, contentLength, settings.maxSize(), room, what);
            // Published before the room is given back, so the bytes are never counted as neither.
            pin = index.publishPinned(staged);
        }
        CompletableFuture<CommandResult> applied;
        try {
            applied = replicator.submit(new Command.PutArtifact(path, staged.etag(), staged.size(), nodeId, ifMatch,
                    createOnly));
        } catch (RuntimeException e) {
            pin.close();
            throw e;
        }
        // The pin goes when the proposal's own outcome is known, not when a caller stops waiting: a put
        // that commits after a client timeout still finds its blob here.
        applied.whenComplete((r, e) -> pin.close());
        return applied;
    }

    /** Proposes removing one artifact (only if its etag equals {@code ifMatch}, when given). */
    public CompletableFuture<CommandResult> delete(String path, String ifMatch) {
        return replicator.submit(new Command.DeleteArtifact(KeyPaths.requireValid(path), ifMatch));
    }

    /** Proposes removing every artifact under {@code prefix}. */
    public CompletableFuture<CommandResult> deletePrefix(String prefix) {
        return replicator.submit(new Command.DeleteArtifactPrefix(KeyPaths.requireValidPrefix(prefix)));
    }

    /** Completes once this node's index includes every write committed before the call. */
    public CompletableFuture<Void> linearizableRead() {
        return replicator.linearizableRead();
    }

    /** The record of an artifact in this node's replica, or null. */
    public ArtifactRecord find(String path) {
        return replicator.state().artifact(KeyPaths.requireValid(path));
    }

    /** A page of records under {@code prefix} after {@code after}. */
    public List<ArtifactRecord> list(String prefix, String after, int limit) {
        return replicator.state().listArtifacts(KeyPaths.requireValidPrefix(prefix), after, limit);
    }

    /** True if the blob of {@code etag} is on this node's disk. */
    public boolean isLocal(String etag) {
        return index.isLocal(etag);
    }

    /**
     * Opens the blob of an artifact, waiting up to {@link ArtifactSettings#readWait()} if it is still being
     * fetched. Blocks.
     *
     * @throws BlobUnavailableException if it did not arrive in time or its artifact was removed meanwhile
     */
    public StoredArtifact open(ArtifactRecord record) throws IOException, InterruptedException {
        CompletableFuture<Void> arrival = index.arrival(record.etag());
        if (!arrival.isDone()) {
            EtagIndex.FetchTask task = index.want(record.etag(), record.size(), record.holder());
            if (task != null) {
                fetcher.offer(task);
            }
            try {
                arrival.get(settings.readWait().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new BlobUnavailableException("the content of '" + record.path() + "' is still being copied to "
                        + nodeId + "; retry shortly");
            } catch (ExecutionException e) {
                throw new BlobUnavailableException("'" + record.path() + "' was removed while being copied");
            }
        }
        FileChannel channel;
        try {
            channel = store.open(record.etag());
        } catch (java.nio.file.NoSuchFileException e) {
            // Collected between arrival and open: the artifact was removed or replaced meanwhile.
            throw new BlobUnavailableException("'" + record.path() + "' changed while being opened; retry");
        }
        if (channel.size() != record.size()) {
            channel.close();
            throw new IOException("blob " + record.etag() + " has " + channel.size() + " bytes, the index says "
                    + record.size());
        }
        return new StoredArtifact(record, channel);
    }

    /** Current counts for metrics and health. */
    public ArtifactStats stats() {
        List<ArtifactRecord> all = replicator.state().allArtifacts();
        long bytes = 0;
        for (ArtifactRecord r : all) {
            bytes += r.size();
        }
        EtagIndex.Counts c = index.counts();
        return new ArtifactStats(all.size(), bytes, c.localBlobs(), c.localBytes(), c.wanted(), c.fetching(),
                fetcher.fetched.sum(), fetcher.failures.sum(), fetcher.bytesFetched.sum(), server.bytesServed.sum(),
                collected.sum(), rounds.sum());
    }

    /** Temporary files in the blob store (uploads or fetches in progress, for tests and diagnostics). */
    public long temporaryFiles() throws IOException {
        return store.temporaryFiles();
    }

    /** Runs a reconciliation round soon on the reconciler thread. */
    public void reconcileSoon() {
        if (!reconciler.isShutdown()) {
            reconciler.execute(this::reconcileSafely);
        }
    }

    @Override
    public void published(ArtifactRecord artifact) {
        EtagIndex.FetchTask task = index.want(artifact.etag(), artifact.size(), artifact.holder());
        if (task != null) {
            fetcher.offer(task);
        }
    }

    @Override
    public void removed(List<ArtifactRecord> removed) {
        // Blobs go in the next round, after their grace period.
    }

    @Override
    public void restored() {
        reconcileSoon();
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.warn("artifact reconciliation failed: {}", e.toString());
        }
    }

    /** Wants every referenced blob this node lacks; collects blobs nothing references. */
    private void reconcile() {
        long asOf = System.nanoTime();
        List<ArtifactRecord> all = replicator.state().allArtifacts();
        Set<String> referenced = new HashSet<>(all.size() * 2);
        List<EtagIndex.FetchTask> tasks = new ArrayList<>();
        for (ArtifactRecord r : all) {
            if (referenced.add(r.etag())) {
                EtagIndex.FetchTask task = index.want(r.etag(), r.size(), r.holder());
                if (task != null) {
                    tasks.add(task);
                }
            }
        }
        tasks.forEach(fetcher::offer);
        if (!replicaCurrent.getAsBoolean()) {
            return;
        }
        int deleted = index.collectGarbage(referenced, asOf, settings.gcGrace().toNanos());
        collected.add(deleted);
        rounds.increment();
        if (deleted > 0 || !tasks.isEmpty()) {
            log.info("artifact reconciliation: {} blobs queued for fetching, {} unreferenced blobs removed",
                    tasks.size(), deleted);
        }
    }

    private List<String> otherMembers() {
        List<String> ids = new ArrayList<>(replicator.state().members().keySet());
        ids.remove(nodeId);
        return ids;
    }

    @Override
    public void close() {
        reconciler.shutdownNow();
        fetcher.close();
    }

    /** The blob of an artifact is not (yet) on this node. */
    public static final class BlobUnavailableException extends IOException {
        public BlobUnavailableException(String message) {
            super(message);
        }
    }
}
