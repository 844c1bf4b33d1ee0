/**
 * The replicated state machine: what every node holds once the Raft log is applied.
 *
 * <p>It holds the cluster members, the trust roots (as an opaque, serialized bundle owned by the trust
 * package), the key/value documents with their etags and the artifact index. Applying a command is
 * deterministic: it reads no clock, no randomness and no local file, so every node that applies the
 * same log reaches the same state, byte for byte in its snapshot.
 */
package dev.ratchet.state;
