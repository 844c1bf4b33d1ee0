package dev.ratchet.state;

/**
 * One condition of a {@link Command.Txn}, checked against the state when the transaction is applied.
 * Exactly one kind of check per compare: the key's etag equals {@link Etag#etag}, its modification
 * revision equals {@link Revision#revision} (0 for a key that does not exist, as etcd's mod_revision),
 * or it exists / does not exist.
 */
public sealed interface TxnCompare {

    /** The key the condition is about. */
    String key();

    /** Holds if the key exists and its etag is exactly {@code etag}. */
    record Etag(String key, String etag) implements TxnCompare {
        public Etag {
            KeyPaths.requireValid(key);
            if (etag == null || etag.isEmpty()) {
                throw new IllegalArgumentException("compare on '" + key + "': etag must not be empty");
            }
        }
    }

    /** Holds if the key's modification revision is {@code revision}; 0 means "the key does not exist". */
    record Revision(String key, long revision) implements TxnCompare {
        public Revision {
            KeyPaths.requireValid(key);
            if (revision < 0) {
                throw new IllegalArgumentException("compare on '" + key + "': revision must be >= 0");
            }
        }
    }

    /** Holds if the key exists ({@code exists} true) or does not exist ({@code exists} false). */
    record Exists(String key, boolean exists) implements TxnCompare {
        public Exists {
            KeyPaths.requireValid(key);
        }
    }

    /** True if the condition holds for {@code current} (null: the key does not exist). */
    static boolean holds(TxnCompare compare, Document current) {
        if (compare instanceof Etag e) {
            return current != null && current.etag().equals(e.etag());
        } else if (compare instanceof Revision r) {
            return (current == null ? 0 : current.modRevision()) == r.revision();
        } else if (compare instanceof Exists x) {
            return (current != null) == x.exists();
        }
        throw new IllegalStateException("no rule for " + compare.getClass());
    }
}
