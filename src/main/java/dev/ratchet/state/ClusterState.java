package dev.ratchet.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The replicated state of one node: members, trust roots, documents, the artifact index and the API
 * token records.
 *
 * <p>Threading: {@link #apply}, {@link #restore} are called by the Raft driver thread only; reads may
 * come from any thread. Every public method takes the lock itself; the private {@code ...Locked}
 * methods assume it is held and never take it again. Listeners are called after the lock is released,
 * so a listener may read this state, block, or talk to the network without deadlocking an apply. This
 * is the lesson of the seed's Etags.Remove/RemoveAll deadlock.
 */
public final class ClusterState {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<ArtifactListener> artifactListeners = new CopyOnWriteArrayList<>();
    private final List<ClusterListener> clusterListeners = new CopyOnWriteArrayList<>();

    private long appliedIndex;
    private byte[] roots = new byte[0];
    /** "" until a {@link Command.SetClusterId} (or a snapshot carrying one) names the cluster. */
    private String clusterId = "";
    private final NavigableMap<String, Member> members = new TreeMap<>();
    private final NavigableMap<String, Document> documents = new TreeMap<>();
    private final NavigableMap<String, ArtifactRecord> artifacts = new TreeMap<>();
    private final NavigableMap<String, ApiTokenRecord> apiTokens = new TreeMap<>();
    private long documentBytes;
    private final Leases leases = new Leases();
    private final JoinTokens joinTokens = new JoinTokens();
    private final ChangeHistory history = new ChangeHistory();
    private final List<LeaseListener> leaseListeners = new CopyOnWriteArrayList<>();

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
        if (command instanceof Command.PutKey c) {
            return putKeyLocked(index, c, changes);
        } else if (command instanceof Command.DeleteKey c) {
            return deleteKeyLocked(index, c, changes);
        } else if (command instanceof Command.Txn c) {
            return Txn.apply(index, c, documentWritesLocked(index, changes));
        } else if (command instanceof Command.GrantLease
                || command instanceof Command.KeepAliveLease || command instanceof Command.RevokeLease) {
            return applyLeaseLocked(index, command, notifications, changes);
        } else if (command instanceof Command.SetRoots c) {
            roots = c.serializedRoots();
            byte[] copy = roots.clone();
            notifications.add(() -> clusterListeners.forEach(l -> l.rootsChanged(copy)));
            return new CommandResult.Done(index);
        } else if (command instanceof Command.SetClusterId c) {
            if (clusterId.isEmpty()) {
                clusterId = c.clusterId();
                String id = clusterId;
                notifications.add(() -> clusterListeners.forEach(l -> l.clusterIdKnown(id)));
            }
            return new CommandResult.Done(index);
        } else if (command instanceof Command.SetMember c) {
            members.put(c.member().id(), c.member());
            Map<String, Member> copy = Map.copyOf(members);
            notifications.add(() -> clusterListeners.forEach(l -> l.membersChanged(copy)));
            return new CommandResult.Done(index);
        } else if (command instanceof Command.RemoveMember c) {
            members.remove(c.nodeId());
            Map<String, Member> copy = Map.copyOf(members);
            notifications.add(() -> clusterListeners.forEach(l -> l.membersChanged(copy)));
            return new CommandResult.Done(index);
        } else if (command instanceof Command.PutArtifact c) {
            return putArtifactLocked(index, c, notifications);
        } else if (command instanceof Command.DeleteArtifact c) {
            return deleteArtifactLocked(index, c, notifications);
        } else if (command instanceof Command.DeleteArtifactPrefix c) {
            return deleteArtifactPrefixLocked(index, c, notifications);
        } else if (command instanceof Command.PutApiToken c) {
            apiTokens.put(c.token().id(), c.token());
            return new CommandResult.Done(index);
        } else if (command instanceof Command.RevokeApiToken c) {
            return apiTokens.remove(c.id()) == null ? new CommandResult.NotFound() : new CommandResult.Deleted(index, 1);
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

    private CommandResult putKeyLocked(long index, Command.PutKey c, List<Change> changes) {
        Document current = documents.get(c.key());
        if (c.createOnly() && current != null) {
            return new CommandResult.PreconditionFailed(current.etag());
        }
        if (!ifMatchHolds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        Document next = writeDocumentLocked(index, c.key(), c.value(), 0, changes);
        return new CommandResult.Written(index, next.etag());
    }

    /** Every document write goes through here, so leases and the change history stay in step. */
    private Document writeDocumentLocked(long index, String key, byte[] value, long lease, List<Change> changes) {
        Document current = documents.get(key);
        String etag = Etags.forDocument(index, value);
        long created = current == null ? index : current.createRevision();
        Document next = new Document(key, value, etag, created, index);
        documents.put(key, next);
        documentBytes += value.length - (current == null ? 0 : current.size());
        leases.attach(key, lease);
        changes.add(new Change(Change.Type.PUT, key, next.valueUnsafe(), etag, created, index, lease));
        return next;
    }

    /** Every document removal goes through here; false if the key did not exist. */
    private boolean removeDocumentLocked(long index, String key, Change.Type why, List<Change> changes) {
        Document removed = documents.remove(key);
        if (removed == null) {
            return false;
        }
        documentBytes -= removed.size();
        leases.detach(key);
        changes.add(new Change(why, key, null, null, removed.createRevision(), index, 0));
        return true;
    }

    private Txn.DocumentWrites documentWritesLocked(long index, List<Change> changes) {
        return new Txn.DocumentWrites() {
            @Override
            public Document get(String key) {
                return documents.get(key);
            }

            @Override
            public Document put(String key, byte[] value, long lease) {
                return writeDocumentLocked(index, key, value, lease, changes);
            }

            @Override
            public boolean remove(String key, Change.Type why) {
                return removeDocumentLocked(index, key, why, changes);
            }

            @Override
            public boolean leaseExists(long leaseId) {
                return leases.exists(leaseId);
            }
        };
    }

    private CommandResult applyLeaseLocked(long index, Command command, List<Runnable> notifications,
            List<Change> changes) {
        if (command instanceof Command.GrantLease c) {
            leases.grant(index, c.ttlMillis());
            notifications.add(() -> leaseListeners.forEach(l -> l.granted(index, c.ttlMillis())));
            return new CommandResult.LeaseGranted(index, index, c.ttlMillis());
        }
        if (command instanceof Command.KeepAliveLease c) {
            long ttl = leases.ttlMillis(c.leaseId());
            if (ttl < 0) {
                return new CommandResult.LeaseNotFound(c.leaseId());
            }
            notifications.add(() -> leaseListeners.forEach(l -> l.keptAlive(c.leaseId(), ttl)));
            return new CommandResult.LeaseGranted(index, c.leaseId(), ttl);
        }
        Command.RevokeLease c = (Command.RevokeLease) command;
        if (!leases.exists(c.leaseId())) {
            return new CommandResult.LeaseNotFound(c.leaseId());
        }
        List<String> held = leases.end(c.leaseId());
        Change.Type why = c.expired() ? Change.Type.EXPIRE : Change.Type.DELETE;
        held.forEach(key -> removeDocumentLocked(index, key, why, changes));
        notifications.add(() -> leaseListeners.forEach(l -> l.ended(c.leaseId())));
        return new CommandResult.Deleted(index, held.size());
    }

    private CommandResult deleteKeyLocked(long index, Command.DeleteKey c, List<Change> changes) {
        Document current = documents.get(c.key());
        if (!ifMatchHolds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        if (current == null) {
            return new CommandResult.NotFound();
        }
        removeDocumentLocked(index, c.key(), Change.Type.DELETE, changes);
        return new CommandResult.Deleted(index, 1);
    }

    private CommandResult putArtifactLocked(long index, Command.PutArtifact c, List<Runnable> notifications) {
        ArtifactRecord current = artifacts.get(c.path());
        if (c.createOnly() && current != null) {
            return new CommandResult.PreconditionFailed(current.etag());
        }
        if (!ifMatchHolds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        ArtifactRecord next = new ArtifactRecord(c.path(), c.etag(), c.size(), c.holder(), index);
        artifacts.put(c.path(), next);
        notifications.add(() -> artifactListeners.forEach(l -> l.published(next)));
        return new CommandResult.Written(index, c.etag());
    }

    private CommandResult deleteArtifactLocked(long index, Command.DeleteArtifact c, List<Runnable> notifications) {
        ArtifactRecord current = artifacts.get(c.path());
        if (!ifMatchHolds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        if (current == null) {
            return new CommandResult.NotFound();
        }
        artifacts.remove(c.path());
        notifications.add(() -> artifactListeners.forEach(l -> l.removed(List.of(current))));
        return new CommandResult.Deleted(index, 1);
    }

    private CommandResult deleteArtifactPrefixLocked(long index, Command.DeleteArtifactPrefix c,
            List<Runnable> notifications) {
        NavigableMap<String, ArtifactRecord> range = prefixRangeLocked(artifacts, c.prefix());
        List<ArtifactRecord> removed = List.copyOf(range.values());
        range.clear();
        if (!removed.isEmpty()) {
            notifications.add(() -> artifactListeners.forEach(l -> l.removed(removed)));
        }
        return new CommandResult.Deleted(index, removed.size());
    }

    /** HTTP If-Match semantics: absent holds always, "*" holds if anything exists, else the etags must be equal. */
    private static boolean ifMatchHolds(String ifMatch, String currentEtag) {
        if (ifMatch == null) {
            return true;
        }
        if (currentEtag == null) {
            return false;
        }
        return ifMatch.equals(Command.ANY_ETAG) || ifMatch.equals(currentEtag);
    }

    private static <V> NavigableMap<String, V> prefixRangeLocked(NavigableMap<String, V> map, String prefix) {
        if (prefix.isEmpty()) {
            return map;
        }
        // Every string with the prefix sorts between the prefix and the prefix followed by U+FFFF.
        return map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    public long appliedIndex() {
        lock.readLock().lock();
        try {
            return appliedIndex;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The cluster's id, or "" while none was applied (a cluster from before cluster ids, until its leader names it). */
    public String clusterId() {
        lock.readLock().lock();
        try {
            return clusterId;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The serialized trust roots bundle (empty before the cluster was seeded). */
    public byte[] roots() {
        lock.readLock().lock();
        try {
            return roots.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    public Map<String, Member> members() {
        lock.readLock().lock();
        try {
            return Collections.unmodifiableMap(new TreeMap<>(members));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Document document(String key) {
        lock.readLock().lock();
        try {
            return documents.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of documents and the total size of their values. */
    public long[] documentStats() {
        lock.readLock().lock();
        try {
            return new long[] {documents.size(), documentBytes};
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Up to {@code limit} documents with the prefix whose key sorts after {@code after} (null: from the start). */
    public List<Document> listDocuments(String prefix, String after, int limit) {
        lock.readLock().lock();
        try {
            return pageLocked(documents, prefix, after, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    public ArtifactRecord artifact(String path) {
        lock.readLock().lock();
        try {
            return artifacts.get(path);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<ArtifactRecord> listArtifacts(String prefix, String after, int limit) {
        lock.readLock().lock();
        try {
            return pageLocked(artifacts, prefix, after, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The API token with this id, or null (revoked or never created). */
    public ApiTokenRecord apiToken(String id) {
        lock.readLock().lock();
        try {
            return apiTokens.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every API token record, in id order. */
    public List<ApiTokenRecord> apiTokens() {
        lock.readLock().lock();
        try {
            return List.copyOf(apiTokens.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The minted join token with this id, or null (revoked or never minted). */
    public JoinTokenRecord joinToken(String id) {
        lock.readLock().lock();
        try {
            return joinTokens.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every minted join token, in id order. */
    public List<JoinTokenRecord> joinTokens() {
        lock.readLock().lock();
        try {
            return joinTokens.all();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True once an admin retired the configured bootstrap join token. */
    public boolean bootstrapTokenRetired() {
        lock.readLock().lock();
        try {
            return joinTokens.bootstrapRetired();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True once an admin removed this Raft id (node id and incarnation): no join admits it again. */
    public boolean isBarred(String raftId) {
        lock.readLock().lock();
        try {
            return joinTokens.isBarred(raftId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every artifact record, for reconciliation after a restore. */
    public List<ArtifactRecord> allArtifacts() {
        lock.readLock().lock();
        try {
            return List.copyOf(artifacts.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    private static <V> List<V> pageLocked(NavigableMap<String, V> map, String prefix, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        NavigableMap<String, V> range = prefixRangeLocked(map, prefix == null ? "" : prefix);
        if (after != null) {
            range = range.tailMap(after, false);
        }
        List<V> page = new ArrayList<>(Math.min(limit, 256));
        for (V v : range.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(v);
        }
        return page;
    }

    /** A deterministic image of the whole state, for a Raft snapshot. */
    public byte[] snapshot() {
        lock.readLock().lock();
        try {
            return image(roots, true);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The image of the state with {@code rootsToWrite} in place of the roots; backups write no roots and
     * no join tokens (both are secrets that admit into the cluster).
     */
    byte[] image(byte[] rootsToWrite, boolean withJoinTokens) {
        lock.readLock().lock();
        try {
            return StateSnapshotCodec.encode(appliedIndex, rootsToWrite, members.values(), documents.values(),
                    artifacts.values(), apiTokens.values(), leases.all(), clusterId,
                    withJoinTokens ? joinTokens.all() : List.of(), withJoinTokens && joinTokens.bootstrapRetired(),
                    withJoinTokens ? joinTokens.barred() : List.of());
        } finally {
            lock.readLock().unlock();
        }
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
            roots = decoded.roots();
            clusterId = decoded.clusterId();
            members.clear();
            decoded.members().forEach(m -> members.put(m.id(), m));
            documents.clear();
            documentBytes = 0;
            for (Document d : decoded.documents()) {
                documents.put(d.key(), d);
                documentBytes += d.size();
            }
            artifacts.clear();
            decoded.artifacts().forEach(a -> artifacts.put(a.path(), a));
            apiTokens.clear();
            decoded.apiTokens().forEach(t -> apiTokens.put(t.id(), t));
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

    /** Every lease with the keys it holds, in id order. */
    public List<Lease> leases() {
        lock.readLock().lock();
        try {
            return leases.all();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The lease {@code key} is attached to, or 0 when none. */
    public long leaseOf(String key) {
        lock.readLock().lock();
        try {
            return leases.leaseOf(key);
        } finally {
            lock.readLock().unlock();
        }
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
