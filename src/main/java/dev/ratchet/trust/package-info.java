/**
 * Peer trust for Ratchet: self-signed root CAs that rotate on a schedule, per-node leaf
 * certificates minted locally from every root, and mutual-TLS contexts that iterate over the roots
 * so that a node which missed rotations still finds a root it has in common with its peer.
 *
 * <p>Nothing here depends on Spring; the node integration wires these classes as beans. Private
 * keys never appear in {@code toString}, exception messages or logs.
 */
package dev.ratchet.trust;
