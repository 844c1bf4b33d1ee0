package dev.ratchet.state;

import java.util.Set;

/** A granted lease: its id (the revision that granted it), its TTL, and the keys attached to it. */
public record Lease(long id, long ttlMillis, Set<String> keys) {

    public Lease {
        keys = Set.copyOf(keys);
    }
}
