package dev.ratchet.join;

import java.util.Optional;

/**
 * The text form of a minted join token, {@code rjt_<id>.<secret>} (kubeadm's bootstrap tokens,
 * {@code id.secret}, are the model): the id names the token in lists and revocations and tells a member
 * which record to check; the secret is 32 random bytes in base64url. Any other text is a bootstrap token
 * (the configured {@code ratchet.join-token}). Stateless; thread-safe.
 */
public final class JoinTokenFormat {

    public static final String PREFIX = "rjt_";
    public static final int ID_LENGTH = 12;
    public static final int SECRET_LENGTH = 43;

    private JoinTokenFormat() {
    }

    /** The id of a well-formed minted token, or empty for any other text. */
    public static Optional<String> idOf(String token) {
        if (token == null || token.length() != PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH
                || !token.startsWith(PREFIX) || token.charAt(PREFIX.length() + ID_LENGTH) != '.') {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        String secret = token.substring(PREFIX.length() + ID_LENGTH + 1);
        boolean idOk = id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        boolean secretOk = secret.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || c == '-' || c == '_');
        return idOk && secretOk ? Optional.of(id) : Optional.empty();
    }

    /** The text of a minted token. */
    static String of(String id, String secret) {
        return PREFIX + id + "." + secret;
    }
}
