package dev.ratchet.state;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Who the cluster is, for {@link ClusterState}: its member list, its cluster id and its trust roots (an
 * opaque serialized bundle owned by the trust package), which is what {@link ClusterState.ClusterListener}
 * hears about. It applies the commands that set them.
 *
 * <p>Not thread-safe: {@link ClusterState} calls {@link #apply} and {@link #replaceWith} under its write
 * lock on the applying thread, and the reads under its read lock. The listener notifications
 * {@link #apply} queues are run by ClusterState after that lock is released.
 */
final class ClusterMembers {

    private byte[] roots = new byte[0];
    /** "" until a {@link Command.SetClusterId} (or a snapshot carrying one) names the cluster. */
    private String clusterId = "";
    private final NavigableMap<String, Member> byId = new TreeMap<>();
    private final List<ClusterState.ClusterListener> listeners;

    /** {@code listeners} is ClusterState's (thread-safe) list; it is read when a notification runs. */
    ClusterMembers(List<ClusterState.ClusterListener> listeners) {
        this.listeners = listeners;
    }

    static boolean handles(Command command) {
        return command instanceof Command.SetRoots || command instanceof Command.SetClusterId
                || command instanceof Command.SetMember || command instanceof Command.RemoveMember;
    }

    /**
     * Applies a command {@link #handles} accepts, committed at {@code index}; adds each listener call to
     * {@code notifications}. The first cluster id applied stays: a later one is ignored. A conditional
     * {@link Command.SetRoots} whose previous roots are not the state's changes nothing and answers
     * {@link CommandResult.PreconditionFailed} with the current roots' SHA-256.
     *
     * @throws IllegalStateException for a command it does not handle
     */
    CommandResult apply(long index, Command command, List<Runnable> notifications) {
        if (command instanceof Command.SetRoots c) {
            if (c.previousSha256() != null) {
                byte[] now = Command.SetRoots.sha256(roots);
                if (!java.security.MessageDigest.isEqual(now, c.previousSha256())) {
                    // Someone else changed the roots since the proposer read them: its list may put back
                    // roots that change dropped. It re-reads and tries again.
                    return new CommandResult.PreconditionFailed(java.util.HexFormat.of().formatHex(now));
                }
            }
            roots = c.serializedRoots();
            byte[] copy = roots.clone();
            notifications.add(() -> listeners.forEach(l -> l.rootsChanged(copy)));
        } else if (command instanceof Command.SetClusterId c) {
            if (clusterId.isEmpty()) {
                clusterId = c.clusterId();
                String id = clusterId;
                notifications.add(() -> listeners.forEach(l -> l.clusterIdKnown(id)));
            }
        } else if (command instanceof Command.SetMember c) {
            byId.put(c.member().id(), c.member());
            Map<String, Member> copy = Map.copyOf(byId);
            notifications.add(() -> listeners.forEach(l -> l.membersChanged(copy)));
        } else if (command instanceof Command.RemoveMember c) {
            byId.remove(c.nodeId());
            Map<String, Member> copy = Map.copyOf(byId);
            notifications.add(() -> listeners.forEach(l -> l.membersChanged(copy)));
        } else {
            throw new IllegalStateException("not a cluster member command: " + command.getClass());
        }
        return new CommandResult.Done(index);
    }

    /**
     * The serialized roots bundle itself, not a copy. Safe to keep past the lock (a snapshot capture does): the
     * array is replaced when the roots change, never written into. Callers that hand it out copy it.
     */
    byte[] roots() {
        return roots;
    }

    /** The cluster's id, or "" while none was applied. */
    String clusterId() {
        return clusterId;
    }

    /** An unmodifiable copy, in id order. */
    Map<String, Member> members() {
        return Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    /** A live view in id order; read it under the lock (a snapshot capture copies it). */
    Collection<Member> values() {
        return byId.values();
    }

    /** Replaces roots, cluster id and members (a restore); tells no listener, the caller does. */
    void replaceWith(byte[] newRoots, String newClusterId, List<Member> members) {
        roots = newRoots;
        clusterId = newClusterId;
        byId.clear();
        members.forEach(m -> byId.put(m.id(), m));
    }
}
