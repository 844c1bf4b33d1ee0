package dev.ratchet.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The configured admin bearer token, compared in constant time: both sides are hashed first, so neither
 * the content nor the length of the secret leaks through timing. Immutable and thread-safe.
 */
public final class AdminToken {

    /** Longest {@code Authorization} header value examined; longer ones are refused unread. */
    public static final int MAX_HEADER_LENGTH = 1024;

    private final byte[] expectedDigest;

    /** @param token the secret, or null when token authentication is disabled */
    public AdminToken(String token) {
        this.expectedDigest = token == null || token.isEmpty() ? null : sha256(token);
    }

    /** True when a token is configured. */
    public boolean isConfigured() {
        return expectedDigest != null;
    }

    /**
     * The bearer credential of an {@code Authorization} header value, if it is one.
     *
     * @return empty for a missing, oversized or non-Bearer header
     */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER_LENGTH) {
            return Optional.empty();
        }
        String prefix = "Bearer ";
        if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        String credential = authorization.substring(prefix.length()).strip();
        return credential.isEmpty() ? Optional.empty() : Optional.of(credential);
    }

    /** True when {@code presented} is the configured token; always false when none is configured. */
    public boolean matches(String presented) {
        if (expectedDigest == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
