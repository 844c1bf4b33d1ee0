package dev.ratchet.state;

import java.util.List;

/**
 * The key/value documents of {@link ClusterState}: each key's value, etag and revisions, the total size of
 * the values, and (through the shared {@link Leases} table) the lease each key is attached to. It applies
 * the document commands (put, delete, transaction) and the lease commands too, because ending a lease
 * deletes the keys it holds: every write and removal goes through one place, so the lease table and the
 * change history stay in step with the documents.
 *
 * <p>The documents are held in a {@link PersistentSortedMap}, replaced on each write, so {@link #frozen}
 * captures them in O(1) for a snapshot encoded elsewhere.
 *
 * <p>Not thread-safe: {@link ClusterState} calls {@link #apply} and {@link #replaceWith} under its write
 * lock on the applying thread, and the reads under its read lock. The lease listener notifications
 * {@link #apply} queues are run by ClusterState after that lock is released.
 */
final class Documents {

    private PersistentSortedMap<String, Document> byKey = PersistentSortedMap.empty();
    private long totalBytes;
    private final Leases leases;
    private final List<ClusterState.LeaseListener> leaseListeners;

    /** {@code leaseListeners} is ClusterState's (thread-safe) list; it is read when a notification runs. */
    Documents(Leases leases, List<ClusterState.LeaseListener> leaseListeners) {
        this.leases = leases;
        this.leaseListeners = leaseListeners;
    }

    static boolean handles(Command command) {
        return command instanceof Command.PutKey || command instanceof Command.DeleteKey
                || command instanceof Command.Txn || command instanceof Command.GrantLease
                || command instanceof Command.KeepAliveLease || command instanceof Command.RevokeLease;
    }

    /**
     * Applies a command {@link #handles} accepts, committed at {@code index}; adds each document change to
     * {@code changes} and each listener call to {@code notifications}.
     *
     * @throws IllegalStateException for a command it does not handle, or a lease granted twice
     */
    CommandResult apply(long index, Command command, List<Runnable> notifications, List<Change> changes) {
        if (command instanceof Command.PutKey c) {
            return put(index, c, changes);
        } else if (command instanceof Command.DeleteKey c) {
            return delete(index, c, changes);
        } else if (command instanceof Command.Txn c) {
            return Txn.apply(index, c, writes(index, changes));
        } else if (command instanceof Command.GrantLease c) {
            leases.grant(index, c.ttlMillis());
            notifications.add(() -> leaseListeners.forEach(l -> l.granted(index, c.ttlMillis())));
            return new CommandResult.LeaseGranted(index, index, c.ttlMillis());
        } else if (command instanceof Command.KeepAliveLease c) {
            long ttl = leases.ttlMillis(c.leaseId());
            if (ttl < 0) {
                return new CommandResult.LeaseNotFound(c.leaseId());
            }
            notifications.add(() -> leaseListeners.forEach(l -> l.keptAlive(c.leaseId(), ttl)));
            return new CommandResult.LeaseGranted(index, c.leaseId(), ttl);
        } else if (command instanceof Command.RevokeLease c) {
            return revokeLease(index, c, notifications, changes);
        }
        throw new IllegalStateException("not a document or lease command: " + command.getClass());
    }

    private CommandResult put(long index, Command.PutKey c, List<Change> changes) {
        Document current = byKey.get(c.key());
        if (c.createOnly() && current != null) {
            return new CommandResult.PreconditionFailed(current.etag());
        }
        if (!IfMatch.holds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        Document next = write(index, c.key(), c.value(), 0, changes);
        return new CommandResult.Written(index, next.etag());
    }

    private CommandResult delete(long index, Command.DeleteKey c, List<Change> changes) {
        Document current = byKey.get(c.key());
        if (!IfMatch.holds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        if (current == null) {
            return new CommandResult.NotFound();
        }
        remove(index, c.key(), Change.Type.DELETE, changes);
        return new CommandResult.Deleted(index, 1);
    }

    private CommandResult revokeLease(long index, Command.RevokeLease c, List<Runnable> notifications,
            List<Change> changes) {
        if (!leases.exists(c.leaseId())) {
            return new CommandResult.LeaseNotFound(c.leaseId());
        }
        List<String> held = leases.end(c.leaseId());
        Change.Type why = c.expired() ? Change.Type.EXPIRE : Change.Type.DELETE;
        held.forEach(key -> remove(index, key, why, changes));
        notifications.add(() -> leaseListeners.forEach(l -> l.ended(c.leaseId())));
        return new CommandResult.Deleted(index, held.size());
    }

    /** Every document write goes through here, so leases and the change history stay in step. */
    private Document write(long index, String key, byte[] value, long lease, List<Change> changes) {
        Document current = byKey.get(key);
        String etag = Etags.forDocument(index, value);
        long created = current == null ? index : current.createRevision();
        Document next = new Document(key, value, etag, created, index);
        byKey = byKey.with(key, next);
        totalBytes += value.length - (current == null ? 0 : current.size());
        leases.attach(key, lease);
        changes.add(new Change(Change.Type.PUT, key, next.valueUnsafe(), etag, created, index, lease));
        return next;
    }

    /** Every document removal goes through here; false if the key did not exist. */
    private boolean remove(long index, String key, Change.Type why, List<Change> changes) {
        Document removed = byKey.get(key);
        if (removed == null) {
            return false;
        }
        byKey = byKey.without(key);
        totalBytes -= removed.size();
        leases.detach(key);
        changes.add(new Change(why, key, null, null, removed.createRevision(), index, 0));
        return true;
    }

    private Txn.DocumentWrites writes(long index, List<Change> changes) {
        return new Txn.DocumentWrites() {
            @Override
            public Document get(String key) {
                return byKey.get(key);
            }

            @Override
            public Document put(String key, byte[] value, long lease) {
                return write(index, key, value, lease, changes);
            }

            @Override
            public boolean remove(String key, Change.Type why) {
                return Documents.this.remove(index, key, why, changes);
            }

            @Override
            public boolean leaseExists(long leaseId) {
                return leases.exists(leaseId);
            }
        };
    }

    Document get(String key) {
        return byKey.get(key);
    }

    /** Number of documents and the total size of their values. */
    long[] stats() {
        return new long[] {byKey.size(), totalBytes};
    }

    /** See {@link KeyRanges#page}. */
    List<Document> page(String prefix, String after, int limit) {
        return KeyRanges.page(byKey, prefix, after, limit);
    }

    /** The documents as they are now, unchanged by later writes: safe to read on any thread without the lock. */
    PersistentSortedMap<String, Document> frozen() {
        return byKey;
    }

    /**
     * Replaces every document (a restore); the lease table is replaced separately.
     *
     * @param documents in strictly ascending key order (as a snapshot image holds them)
     * @throws IllegalArgumentException if they are not
     */
    void replaceWith(List<Document> documents) {
        byKey = PersistentSortedMap.ofSorted(documents, Document::key);
        totalBytes = documents.stream().mapToLong(Document::size).sum();
    }
}
