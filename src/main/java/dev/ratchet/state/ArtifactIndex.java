package dev.ratchet.state;

import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

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

    private final NavigableMap<String, ArtifactRecord> byPath = new TreeMap<>();
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
        byPath.put(c.path(), next);
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
        byPath.remove(c.path());
        notifications.add(() -> listeners.forEach(l -> l.removed(List.of(current))));
        return new CommandResult.Deleted(index, 1);
    }

    private CommandResult deletePrefix(long index, Command.DeleteArtifactPrefix c, List<Runnable> notifications) {
        NavigableMap<String, ArtifactRecord> range = KeyRanges.withPrefix(byPath, c.prefix());
        List<ArtifactRecord> removed = List.copyOf(range.values());
        range.clear();
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

    /** A live view in path order, for encoding a snapshot under the lock. */
    Collection<ArtifactRecord> values() {
        return byPath.values();
    }

    /** Replaces the whole index (a restore). */
    void replaceWith(List<ArtifactRecord> artifacts) {
        byPath.clear();
        artifacts.forEach(a -> byPath.put(a.path(), a));
    }
}
