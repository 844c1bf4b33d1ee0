package dev.ratchet.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;

/**
 * The text form of an API token, {@code rat_<id>.<secret>} (kubeadm's {@code id.secret} bootstrap tokens
 * are the model): the id names the token in lists, logs and revocations; only the SHA-256 of the secret is
 * stored. The secret is 32 random bytes, so a fast hash suffices: there is nothing to guess offline.
 * Stateless; thread-safe.
 */
public final class ApiTokenFormat {

    /** What every API token starts with. */
    public static final String PREFIX = "rat_";
    /** Length of the id: 12 lower-case hex characters. */
    public static final int ID_LENGTH = 12;
    /** Length of the secret: 43 base64url characters (32 bytes). */
    public static final int SECRET_LENGTH = 43;

    private ApiTokenFormat() {
    }

    /** True when {@code token} has the shape of an API token (says nothing about its validity). */
    public static boolean looksLikeApiToken(String token) {
        return parse(token) != null;
    }

    /** {@code [id, secret]} of a well-formed token, or null. */
    static String[] parse(String token) {
        if (token == null || token.length() != PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH
                || !token.startsWith(PREFIX) || token.charAt(PREFIX.length() + ID_LENGTH) != '.') {
            return null;
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        String secret = token.substring(PREFIX.length() + ID_LENGTH + 1);
        if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return null;
        }
        if (!secret.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
            return null;
        }
        return new String[] {id, secret};
    }

    /** The stored form of a secret. */
    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
