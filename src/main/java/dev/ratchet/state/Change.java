package dev.ratchet.state;

import java.util.Objects;

/**
 * One change to a document, as watchers see it. For a {@link Type#PUT} the new value, etag and
 * revisions; for a {@link Type#DELETE} or {@link Type#EXPIRE} the value and etag are null and
 * {@code modRevision} is the revision of the removal. The value array is shared: never mutate it.
 */
public record Change(Type type, String key, byte[] value, String etag, long createRevision, long modRevision,
        long lease) {

    /** What happened to the key. */
    public enum Type {
        /** Written (created or replaced). */
        PUT,
        /** Deleted by a client (a DELETE, a transaction, or a revoked lease). */
        DELETE,
        /** Deleted because its lease's TTL ran out. */
        EXPIRE
    }

    /** Fixed cost counted per change on top of its key and value, for the history's byte bound. */
    static final int OVERHEAD_BYTES = 96;

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }

    /** Approximate bytes this change holds in memory. */
    public long sizeBytes() {
        return OVERHEAD_BYTES + 2L * key.length() + (value == null ? 0 : value.length);
    }

    @Override
    public String toString() {
        return "Change[" + type + " " + key + " @" + modRevision + "]";
    }
}
