package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The artifact index of {@link ClusterState}: for each artifact path, its etag, size, the node holding
 * its content and its revision. It applies the artifact commands (publish, delete, delete by prefix);
 * the content itself lives on disk, reconciled by the artifact listeners it tells.
 *
 * <p>Not thread-safe: {@link ClusterState} calls {@link #apply} and {@link #replaceWith} under its write
 * lock on the applying thread, and the reads under its read lock. The listener notifications
 * {@link #apply} queues are run by ClusterState after that lock is released.
 */
final class ArtifactIndex {

    /** Replaced on each change, so {@link #frozen} captures it in O(1) for a snapshot. */
    private PersistentSortedMap<String, ArtifactRecord> byPath = PersistentSortedMap.empty();
    private final List<ClusterState.ArtifactListener> listeners;

    /** {@code listeners} is ClusterState's (thread-safe) list; it is read when a notification runs. */
    ArtifactIndex(List<ClusterState.ArtifactListener> listeners) {
        this.listeners = listeners;
    }

    static boolean handles(Command command) {
        return command instanceof Command.PutArtifact || command instanceof Command.DeleteArtifact
                || command instanceof Command.DeleteArtifactPrefix;
    }

    /**
     * Applies a command {@link #handles} accepts, committed at {@code index}; adds each listener call to
     * {@code notifications}.
     *
     * @throws IllegalStateException for a command it does not handle
     */
    CommandResult apply(long index, Command command, List<Runnable> notifications) {
        if (command instanceof Command.PutArtifact c) {
            return put(index, c, notifications);
        } else if (command instanceof Command.DeleteArtifact c) {
            return delete(index, c, notifications);
        } else if (command instanceof Command.DeleteArtifactPrefix c) {
            return deletePrefix(index, c, notifications);
        }
        throw new IllegalStateException("not an artifact command: " + command.getClass());
    }

    private CommandResult put(long index, Command.PutArtifact c, List<Runnable> notifications) {
        ArtifactRecord current = byPath.get(c.path());
        if (c.createOnly() && current != null) {
            return new CommandResult.PreconditionFailed(current.etag());
        }
        if (!IfMatch.holds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        ArtifactRecord next = new ArtifactRecord(c.path(), c.etag(), c.size(), c.holder(), index);
        byPath = byPath.with(c.path(), next);
        notifications.add(() -> listeners.forEach(l -> l.published(next)));
        return new CommandResult.Written(index, c.etag());
    }

    private CommandResult delete(long index, Command.DeleteArtifact c, List<Runnable> notifications) {
        ArtifactRecord current = byPath.get(c.path());
        if (!IfMatch.holds(c.ifMatch(), current == null ? null : current.etag())) {
            return new CommandResult.PreconditionFailed(current == null ? null : current.etag());
        }
        if (current == null) {
            return new CommandResult.NotFound();
        }
        byPath = byPath.without(c.path());
        notifications.add(() -> listeners.forEach(l -> l.removed(List.of(current))));
        return new CommandResult.Deleted(index, 1);
    }

    private CommandResult deletePrefix(long index, Command.DeleteArtifactPrefix c, List<Runnable> notifications) {
        List<ArtifactRecord> inRange = new ArrayList<>();
        KeyRanges.appliedPrefixRange(byPath, c.prefix()).forEach(inRange::add);
        List<ArtifactRecord> removed = List.copyOf(inRange);
        for (ArtifactRecord r : removed) {
            byPath = byPath.without(r.path());
        }
        if (!removed.isEmpty()) {
            notifications.add(() -> listeners.forEach(l -> l.removed(removed)));
        }
        return new CommandResult.Deleted(index, removed.size());
    }

    ArtifactRecord get(String path) {
        return byPath.get(path);
    }

    /** See {@link KeyRanges#page}. */
    List<ArtifactRecord> page(String prefix, String after, int limit) {
        return KeyRanges.page(byPath, prefix, after, limit);
    }

    /** A copy, in path order. */
    List<ArtifactRecord> all() {
        return List.copyOf(byPath.values());
    }

    /** The index as it is now, unchanged by later commands: safe to read on any thread without the lock. */
    PersistentSortedMap<String, ArtifactRecord> frozen() {
        return byPath;
    }

    /**
     * Replaces the whole index (a restore).
     *
     * @param artifacts in strictly ascending path order (as a snapshot image holds them)
     * @throws IllegalArgumentException if they are not
     */
    void replaceWith(List<ArtifactRecord> artifacts) {
        byPath = PersistentSortedMap.ofSorted(artifacts, ArtifactRecord::path);
    }
}
