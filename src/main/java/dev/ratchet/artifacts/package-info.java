/**
 * Replicated artifacts: content-addressed blobs on each node's disk ({@link dev.ratchet.artifacts.BlobStore}),
 * the one index of local blobs by etag ({@link dev.ratchet.artifacts.EtagIndex}), fetching blobs from peers
 * over the mutual-TLS channel, reconciliation and garbage collection ({@link dev.ratchet.artifacts.ArtifactService}).
 * Only the artifact operation (path, etag, size) goes through Raft; file bodies never enter the log.
 * No Spring here.
 */
package dev.ratchet.artifacts;
