package dev.ratchet.state;

/**
 * An entry of the artifact index: the path, the SHA-256 etag of its content (the blob's name), its size,
 * the node that held the blob when it was published, and the log index of the publication.
 */
public record ArtifactRecord(String path, String etag, long size, String holder, long modRevision) {
}
