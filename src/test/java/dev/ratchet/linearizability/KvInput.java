package dev.ratchet.linearizability;

import java.util.Objects;

/** What a client asks a key/value store; see {@link KvModel} for the meaning of each operation. */
public sealed interface KvInput {

    /** The key the operation touches; {@link KvModel} partitions histories by it. */
    String key();

    /** Sets {@code key} to {@code value}; answered with {@link KvOutput.Ack}. */
    record Put(String key, String value) implements KvInput {
        /** Rejects null key or value (absence is expressed with {@link Delete}). */
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Reads {@code key}; answered with {@link KvOutput.Read}. */
    record Get(String key) implements KvInput {
        /** Rejects a null key. */
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Removes {@code key}, present or not; answered with {@link KvOutput.Ack}. */
    record Delete(String key) implements KvInput {
        /** Rejects a null key. */
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Sets {@code key} to {@code newValue} if it currently holds {@code expectedValue} ({@code null}:
     * if it is absent); answered with {@link KvOutput.CasResult}.
     */
    record Cas(String key, String expectedValue, String newValue) implements KvInput {
        /** Rejects a null key or new value; a null expected value means "absent". */
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(newValue, "newValue");
        }
    }
}
