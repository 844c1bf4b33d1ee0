package dev.ratchet.artifacts;

import java.security.MessageDigest;
import java.util.HexFormat;

/** Digest helper for artifact tests. */
final class BlobStoreTestSupport {

    private BlobStoreTestSupport() {
    }

    static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
