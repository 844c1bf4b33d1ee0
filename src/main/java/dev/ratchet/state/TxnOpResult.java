package dev.ratchet.state;

/**
 * What one operation of an applied transaction did. For a put, {@code etag} is the new etag,
 * {@code created} says the key did not exist before, and {@code deleted} is 0; for a delete, {@code etag}
 * is null and {@code deleted} is 1 if the key existed. {@code revision} is the transaction's revision
 * (every operation of one transaction shares it).
 */
public record TxnOpResult(String key, String etag, long revision, int deleted, boolean created) {
}
