package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The replicated state of one node: members, trust roots, documents, the artifact index and the API
 * token records. This class is the facade, the lock, the apply dispatch, the snapshot image and the
 * change history; each part of the state is its own class that owns its maps and applies its commands
 * ({@link ClusterMembers}, {@link Documents} with {@link Leases}, {@link ArtifactIndex},
 * {@link ApiTokenTable}, {@link JoinTokens}).
 *
 * <p>Threading: {@link #apply}, {@link #restore} are called by the Raft driver thread only; reads may
 * come from any thread. Every public method takes the lock itself; the parts are not thread-safe and are
 * only touched under it (write lock to apply or restore, read lock to read), and the private
 * {@code ...Locked} methods assume it is held and never take it again. Listeners are called after the
 * lock is released, so a listener may read this state, block, or talk to the network without deadlocking
 * an apply. This is the lesson of the seed's Etags.Remove/RemoveAll deadlock.
 */
public final class ClusterState {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<ArtifactListener> artifactListeners = new CopyOnWriteArrayList<>();
    private final List<ClusterListener> clusterListeners = new CopyOnWriteArrayList<>();
    private final List<LeaseListener> leaseListeners = new CopyOnWriteArrayList<>();

    private long appliedIndex;
    private final ClusterMembers members = new ClusterMembers(clusterListeners);
    private final Leases leases = new Leases();
    private final Documents documents = new Documents(leases, leaseListeners);
    private final ArtifactIndex artifacts = new ArtifactIndex(artifactListeners);
    private final ApiTokenTable apiTokens = new ApiTokenTable();
    private final JoinTokens joinTokens = new JoinTokens();
    private final ChangeHistory history = new ChangeHistory();

    /** Told about artifact index changes, after they are applied and the lock is released. */
    public interface ArtifactListener {
        /** An artifact was published or replaced. */
        void published(ArtifactRecord artifact);

        /** Artifacts were removed from the index. */
        void removed(List<ArtifactRecord> removed);

        /** The whole index was replaced from a snapshot; reconcile against it. */
        void restored();
    }

    public void addArtifactListener(ArtifactListener listener) {
        artifactListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Told when the trust roots or the member list change (by a command or a restore), after the lock is
     * released. Called on the applying thread: must not block for long.
     */
    public interface ClusterListener {
        /** The serialized roots bundle changed. */
        void rootsChanged(byte[] serializedRoots);

        /** The member list changed; the argument is the whole new list. */
        void membersChanged(Map<String, Member> members);

        /** The cluster id became known (by the command or a restore); never called with "". */
        default void clusterIdKnown(String clusterId) {
        }
    }

    public void addClusterListener(ClusterListener listener) {
        clusterListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Told when leases are granted, kept alive or end, and when a restore replaced them all; called on
     * the applying thread after the lock is released. Must not block: the leader's expiry clock uses it.
     */
    public interface LeaseListener {
        void granted(long leaseId, long ttlMillis);

        void keptAlive(long leaseId, long ttlMillis);

        void ended(long leaseId);

        void restored(List<Lease> leases);
    }

    public void addLeaseListener(LeaseListener listener) {
        leaseListeners.add(Objects.requireNonNull(listener));
    }

    /** The recent document changes, for watches and blocking reads. */
    public ChangeHistory history() {
        return history;
    }

    /**
     * Applies a command committed at {@code index}. Indexes must increase; an index at or below the
     * applied index is a driver bug and stops the node rather than applying twice.
     */
    public CommandResult apply(long index, Command command) {
        List<Runnable> notifications = new ArrayList<>(1);
        List<Change> changes = new ArrayList<>(1);
        CommandResult result;
        lock.writeLock().lock();
        try {
            result = applyLocked(index, command, notifications, changes);
            history.append(index, changes);
        } finally {
            lock.writeLock().unlock();
        }
        notifications.forEach(ClusterState::notifySafely);
        notifySafely(history::notifyListeners);
        return result;
    }

    /** Records that an entry without a command (no-op, membership change) was applied at {@code index}. */
    public void advanceTo(long index) {
        lock.writeLock().lock();
        try {
            checkNextIndexLocked(index);
            appliedIndex = index;
            history.append(index, List.of());
        } finally {
            lock.writeLock().unlock();
        }
        notifySafely(history::notifyListeners);
    }

    private CommandResult applyLocked(long index, Command command, List<Runnable> notifications,
            List<Change> changes) {
        checkNextIndexLocked(index);
        appliedIndex = index;
        if (Documents.handles(command)) {
            return documents.apply(index, command, notifications, changes);
        } else if (ClusterMembers.handles(command)) {
            return members.apply(index, command, notifications);
        } else if (ArtifactIndex.handles(command)) {
            return artifacts.apply(index, command, notifications);
        } else if (ApiTokenTable.handles(command)) {
            return apiTokens.apply(index, command);
        } else if (JoinTokens.handles(command)) {
            return joinTokens.apply(index, command);
        }
        throw new IllegalStateException("no apply rule for " + command.getClass());
    }

    private void checkNextIndexLocked(long index) {
        if (index <= appliedIndex) {
            throw new IllegalStateException("apply of index " + index + " at or below applied index " + appliedIndex);
        }
    }

    /** Runs {@code reader} under the read lock: every public read goes through here. */
    private <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    public long appliedIndex() {
        return read(() -> appliedIndex);
    }

    /** The cluster's id, or "" while none was applied (a cluster from before cluster ids, until its leader names it). */
    public String clusterId() {
        return read(members::clusterId);
    }

    /** The serialized trust roots bundle (empty before the cluster was seeded). */
    public byte[] roots() {
        return read(() -> members.roots().clone());
    }

    public Map<String, Member> members() {
        return read(members::members);
    }

    public Document document(String key) {
        return read(() -> documents.get(key));
    }

    /** Number of documents and the total size of their values. */
    public long[] documentStats() {
        return read(documents::stats);
    }

    /** Up to {@code limit} documents with the prefix whose key sorts after {@code after} (null: from the start). */
    public List<Document> listDocuments(String prefix, String after, int limit) {
        return read(() -> documents.page(prefix, after, limit));
    }

    public ArtifactRecord artifact(String path) {
        return read(() -> artifacts.get(path));
    }

    public List<ArtifactRecord> listArtifacts(String prefix, String after, int limit) {
        return read(() -> artifacts.page(prefix, after, limit));
    }

    /** The API token with this id, or null (revoked or never created). */
    public ApiTokenRecord apiToken(String id) {
        return read(() -> apiTokens.get(id));
    }

    /** Every API token record, in id order. */
    public List<ApiTokenRecord> apiTokens() {
        return read(apiTokens::all);
    }

    /** The minted join token with this id, or null (revoked or never minted). */
    public JoinTokenRecord joinToken(String id) {
        return read(() -> joinTokens.get(id));
    }

    /** Every minted join token, in id order. */
    public List<JoinTokenRecord> joinTokens() {
        return read(joinTokens::all);
    }

    /** True once an admin retired the configured bootstrap join token. */
    public boolean bootstrapTokenRetired() {
        return read(joinTokens::bootstrapRetired);
    }

    /** True once an admin removed this Raft id (node id and incarnation): no join admits it again. */
    public boolean isBarred(String raftId) {
        return read(() -> joinTokens.isBarred(raftId));
    }

    /** Every artifact record, for reconciliation after a restore. */
    public List<ArtifactRecord> allArtifacts() {
        return read(artifacts::all);
    }

    /** Every lease with the keys it holds, in id order. */
    public List<Lease> leases() {
        return read(leases::all);
    }

    /** The lease {@code key} is attached to, or 0 when none. */
    public long leaseOf(String key) {
        return read(() -> leases.leaseOf(key));
    }

    /** A deterministic image of the whole state, for a Raft snapshot. Encodes on the calling thread. */
    public byte[] snapshot() {
        return capture().encode();
    }

    /**
     * The state as of now, to encode later on any thread ({@link FrozenState#encode}). Holds the read lock only
     * for O(1) work on the documents, artifacts and leased keys, plus copies of the small tables (members,
     * tokens, the lease list); applies go on meanwhile and do not change what was captured.
     */
    public FrozenState capture() {
        return read(() -> new FrozenState(appliedIndex, members.roots(), List.copyOf(members.values()),
                documents.frozen(), artifacts.frozen(), apiTokens.all(), leases.frozen(), members.clusterId(),
                joinTokens.all(), joinTokens.bootstrapRetired(), joinTokens.barred()));
    }

    /** The image of the state with {@code rootsToWrite} in place of the roots and no join tokens, for a backup. */
    byte[] backupImage(byte[] rootsToWrite) {
        return capture().encodeForBackup(rootsToWrite);
    }

    /**
     * Replaces the whole state with a snapshot image. The image is decoded completely before anything is
     * replaced, so a corrupt image leaves the current state untouched.
     */
    public void restore(byte[] image) {
        StateSnapshotCodec.Image decoded = StateSnapshotCodec.decode(image);
        lock.writeLock().lock();
        try {
            appliedIndex = decoded.appliedIndex();
            members.replaceWith(decoded.roots(), decoded.clusterId(), decoded.members());
            documents.replaceWith(decoded.documents());
            artifacts.replaceWith(decoded.artifacts());
            apiTokens.replaceWith(decoded.apiTokens());
            leases.replaceWith(decoded.leases());
            joinTokens.replaceWith(decoded.joinTokens(), decoded.bootstrapRetired(), decoded.barred());
            history.reset(decoded.appliedIndex());
        } finally {
            lock.writeLock().unlock();
        }
        byte[] restoredRoots = decoded.roots().clone();
        Map<String, Member> restoredMembers = Map.copyOf(members());
        String restoredClusterId = decoded.clusterId();
        clusterListeners.forEach(l -> {
            notifySafely(() -> l.rootsChanged(restoredRoots));
            notifySafely(() -> l.membersChanged(restoredMembers));
            if (!restoredClusterId.isEmpty()) {
                notifySafely(() -> l.clusterIdKnown(restoredClusterId));
            }
        });
        artifactListeners.forEach(l -> notifySafely(l::restored));
        List<Lease> restoredLeases = decoded.leases();
        leaseListeners.forEach(l -> notifySafely(() -> l.restored(restoredLeases)));
        notifySafely(history::notifyListeners);
    }

    /**
     * Runs one listener notification. A listener that throws must not stop the applying thread: the
     * command is already applied on every replica, and failing here would fail it again on every
     * restart's replay.
     */
    private static void notifySafely(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            System.getLogger(ClusterState.class.getName()).log(System.Logger.Level.ERROR,
                    "a state listener failed; the state itself is applied", e);
        }
    }
}
