/**
 * A running Ratchet node: the driver thread that owns the Raft core, persists, sends and applies, and
 * the {@link dev.ratchet.node.Replicator} the API uses to reach the cluster.
 */
package dev.ratchet.node;
