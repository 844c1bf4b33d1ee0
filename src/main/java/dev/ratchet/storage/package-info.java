/**
 * Durable Raft storage on the local file system: a segmented, checksummed write-ahead log plus
 * atomically written snapshot files, behind the {@link dev.ratchet.raft.DurableStorage} contract.
 *
 * <p>{@link dev.ratchet.storage.FileRaftStorage} is the entry point. Everything it writes lives under
 * {@code ${dataDir}/wal/} and {@code ${dataDir}/snap/} with owner-only permissions, because the
 * replicated state includes private keys. Nothing here depends on Spring.
 */
package dev.ratchet.storage;
