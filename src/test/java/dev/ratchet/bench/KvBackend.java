package dev.ratchet.bench;

import java.time.Duration;

/**
 * What a load window needs of a key/value store: a put and a get against one of its members. Ratchet's
 * nodes ({@link KvClient}) and etcd's members ({@link EtcdClient}) both implement it, so both are driven by
 * the same closed-loop {@link LoadWindow}. Implementations are thread-safe, block until the answer or the
 * timeout, and report failures as {@code false} rather than throwing: a benchmark counts them.
 *
 * @param <T> how the store's members are named (a node process, an etcd member)
 */
interface KvBackend<T> {

    /** Writes {@code value} under {@code key} through {@code member}; true once the store acknowledged it. */
    boolean put(T member, String key, byte[] value, Duration timeout);

    /** Reads {@code key} from {@code member}, linearizable unless {@code stale}; true if it was found. */
    boolean get(T member, String key, boolean stale, Duration timeout);
}
