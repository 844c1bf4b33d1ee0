package dev.ratchet.linearizability;

/** What a key/value store answers; see {@link KvModel}. */
public sealed interface KvOutput {

    /** The answer to a {@link KvInput.Put} or {@link KvInput.Delete}: it took effect. */
    record Ack() implements KvOutput {
        @Override
        public String toString() {
            return "ok";
        }
    }

    /** The answer to a {@link KvInput.Get}: the value read, or {@code null} if the key was absent. */
    record Read(String value) implements KvOutput {
        @Override
        public String toString() {
            return value == null ? "absent" : "\"" + value + "\"";
        }
    }

    /** The answer to a {@link KvInput.Cas}: whether the swap happened. */
    record CasResult(boolean succeeded) implements KvOutput {
        @Override
        public String toString() {
            return succeeded ? "swapped" : "failed";
        }
    }

    /** The answer to a put or delete. */
    static KvOutput ack() {
        return new Ack();
    }

    /** The answer to a get that found {@code value} ({@code null}: absent). */
    static KvOutput read(String value) {
        return new Read(value);
    }

    /** The answer to a cas that swapped. */
    static KvOutput casOk() {
        return new CasResult(true);
    }

    /** The answer to a cas that found another value. */
    static KvOutput casFailed() {
        return new CasResult(false);
    }
}
