/**
 * The REST API on {@code server.port}: key/value documents under {@code /api/v1/kv}, errors as RFC 9457
 * problem details. Controllers are thin: they validate input, call the node's
 * {@link dev.ratchet.node.Replicator} and map results to HTTP.
 */
package dev.ratchet.api;
