package dev.ratchet.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The replicated lease table: which leases exist, their TTLs and which keys each one holds. It decides
 * nothing about time: the leader's expiry clock (package {@code dev.ratchet.lease}) watches it and
 * proposes a {@link Command.RevokeLease} when a lease runs out, so every node ends a lease at the same
 * log position.
 *
 * <p>Each lease's keys are a {@link PersistentSortedMap} (key to itself), replaced on each change, so
 * {@link #frozen} captures the table for a snapshot in O(leases), not O(leased keys).
 *
 * <p>Not thread-safe: {@link ClusterState} (and {@link Documents}, which attaches and detaches keys and
 * applies the lease commands) calls it only under ClusterState's lock.
 */
final class Leases {

    private final NavigableMap<Long, Long> ttlById = new TreeMap<>();
    private final Map<Long, PersistentSortedMap<String, String>> keysById = new HashMap<>();
    private final Map<String, Long> leaseByKey = new HashMap<>();

    void grant(long id, long ttlMillis) {
        if (ttlById.putIfAbsent(id, ttlMillis) != null) {
            throw new IllegalStateException("lease " + id + " granted twice");
        }
        keysById.put(id, PersistentSortedMap.empty());
    }

    boolean exists(long id) {
        return ttlById.containsKey(id);
    }

    long ttlMillis(long id) {
        Long ttl = ttlById.get(id);
        return ttl == null ? -1 : ttl;
    }

    /** Attaches {@code key} to {@code leaseId} (0: to none), detaching it from a lease it had. */
    void attach(String key, long leaseId) {
        detach(key);
        if (leaseId != 0) {
            PersistentSortedMap<String, String> keys = keysById.get(leaseId);
            if (keys == null) {
                throw new IllegalStateException("attach to unknown lease " + leaseId);
            }
            keysById.put(leaseId, keys.with(key, key));
            leaseByKey.put(key, leaseId);
        }
    }

    /** The key no longer exists: it holds no lease. */
    void detach(String key) {
        Long previous = leaseByKey.remove(key);
        if (previous != null) {
            keysById.put(previous, keysById.get(previous).without(key));
        }
    }

    /** The lease {@code key} is attached to, or 0. */
    long leaseOf(String key) {
        return leaseByKey.getOrDefault(key, 0L);
    }

    /** Forgets the lease and answers the keys it held (the caller deletes them), in key order. */
    List<String> end(long id) {
        ttlById.remove(id);
        PersistentSortedMap<String, String> keys = keysById.remove(id);
        List<String> held = keys == null ? List.of() : new ArrayList<>(keys.values());
        held.forEach(leaseByKey::remove);
        return held;
    }

    List<Lease> all() {
        return frozen().stream().map(FrozenLease::toLease).toList();
    }

    /** A lease as captured: its keys are an immutable map, unchanged by later attaches and detaches. */
    record FrozenLease(long id, long ttlMillis, PersistentSortedMap<String, String> keys) {
        Lease toLease() {
            return new Lease(id, ttlMillis, new HashSet<>(keys.values()));
        }
    }

    /** The table as of now, in id order; O(leases). */
    List<FrozenLease> frozen() {
        List<FrozenLease> out = new ArrayList<>(ttlById.size());
        ttlById.forEach((id, ttl) -> out.add(new FrozenLease(id, ttl, keysById.get(id))));
        return out;
    }

    void replaceWith(List<Lease> leases) {
        ttlById.clear();
        keysById.clear();
        leaseByKey.clear();
        for (Lease l : leases) {
            grant(l.id(), l.ttlMillis());
            l.keys().forEach(k -> attach(k, l.id()));
        }
    }
}
