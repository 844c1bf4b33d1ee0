/**
 * Offline disaster recovery on a stopped node's data directory, run as {@code ratchet recovery ...}
 * subcommands of the jar: inspect which survivor is most up to date, take a backup without a quorum,
 * and force a new single-voter cluster from one survivor (etcd's {@code --force-new-cluster}, Consul's
 * {@code peers.json}). Nothing here runs inside a serving node; everything goes through the storage
 * code ({@link dev.ratchet.storage.FileRaftStorage}) and its directory lock, so a running node's
 * directory is refused.
 */
package dev.ratchet.recovery;
