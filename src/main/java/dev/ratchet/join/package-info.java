/**
 * Joining a cluster and who a node is: the token-authenticated join protocol ({@link
 * dev.ratchet.join.JoinProtocol}), its client and member sides, and (with incarnations) the identity a
 * data directory records at its first start.
 */
package dev.ratchet.join;
