package dev.ratchet.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stored key/value document: its bytes, its etag, and the log indexes at which the key was created
 * and last modified. The value array is never handed out for mutation: {@link #value()} returns a copy.
 */
public record Document(String key, byte[] value, String etag, long createRevision, long modRevision) {

    public Document {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(etag, "etag");
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Size of the value in bytes, without copying it. */
    public int size() {
        return value.length;
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Document d && key.equals(d.key) && Arrays.equals(value, d.value)
                && etag.equals(d.etag) && createRevision == d.createRevision && modRevision == d.modRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, etag, createRevision, modRevision);
    }

    @Override
    public String toString() {
        return "Document[" + key + ", " + value.length + "B, etag=" + etag + ", rev=" + modRevision + "]";
    }
}
