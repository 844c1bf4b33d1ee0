package dev.ratchet.state;

import java.util.Arrays;
import java.util.Objects;

/** One write of a {@link Command.Txn} branch. */
public sealed interface TxnOp {

    /** The key written or deleted. */
    String key();

    /**
     * Writes {@code value} to {@code key}. {@code lease} non-zero attaches the key to that lease (it is
     * deleted when the lease ends); zero detaches it from any lease, as a plain PUT does.
     */
    record Put(String key, byte[] value, long lease) implements TxnOp {
        public Put {
            KeyPaths.requireValid(key);
            Objects.requireNonNull(value, "value");
            if (lease < 0) {
                throw new IllegalArgumentException("lease id must be >= 0");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && key.equals(p.key) && Arrays.equals(value, p.value) && lease == p.lease;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, lease) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put[" + key + ", " + value.length + "B, lease=" + lease + "]";
        }
    }

    /** Deletes {@code key}; deleting an absent key is not an error inside a transaction (count 0). */
    record Delete(String key) implements TxnOp {
        public Delete {
            KeyPaths.requireValid(key);
        }
    }
}
