package dev.ratchet.state;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An API token as the replicated state keeps it: never the secret, only its SHA-256. Grants are kept as
 * their text ({@code dev.ratchet.security.Grant} parses and checks them before a token is created), so the
 * state machine does not depend on the security package. Immutable.
 *
 * @param id 12 lower-case hex characters, the public half of {@code rat_<id>.<secret>}
 * @param name what an operator called it (letters, digits, {@code .-_}, at most 64)
 * @param secretSha256 the SHA-256 of the secret, 32 bytes
 * @param grants the grant texts, 1 to {@link #MAX_GRANTS}
 * @param createdMillis when the admin created it (the proposer's clock; informational)
 */
public record ApiTokenRecord(String id, String name, byte[] secretSha256, List<String> grants, long createdMillis) {

    /** Most grants one token may carry. */
    public static final int MAX_GRANTS = 32;
    /** Longest grant text. */
    public static final int MAX_GRANT_LENGTH = 16 + KeyPaths.MAX_PATH_BYTES;

    public ApiTokenRecord {
        requireValidId(id);
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a token name is 1 to 64 letters, digits, '.', '-' or '_'");
        }
        if (secretSha256 == null || secretSha256.length != 32) {
            throw new IllegalArgumentException("a token's secret hash is 32 bytes (SHA-256)");
        }
        secretSha256 = secretSha256.clone();
        grants = List.copyOf(grants);
        if (grants.isEmpty() || grants.size() > MAX_GRANTS) {
            throw new IllegalArgumentException("a token has 1 to " + MAX_GRANTS + " grants");
        }
        for (String g : grants) {
            if (g.isEmpty() || g.length() > MAX_GRANT_LENGTH) {
                throw new IllegalArgumentException("a grant is 1 to " + MAX_GRANT_LENGTH + " characters");
            }
        }
    }

    /** Checks a token id: 12 lower-case hex characters. */
    public static String requireValidId(String id) {
        if (id == null || !id.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("a token id is 12 lower-case hex characters");
        }
        return id;
    }

    @Override
    public byte[] secretSha256() {
        return secretSha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiTokenRecord t && id.equals(t.id) && name.equals(t.name)
                && Arrays.equals(secretSha256, t.secretSha256) && grants.equals(t.grants)
                && createdMillis == t.createdMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, grants, createdMillis) * 31 + Arrays.hashCode(secretSha256);
    }

    @Override
    public String toString() {
        // The hash is not a secret, but it has no business in logs either.
        return "ApiToken[" + id + ", " + name + ", " + grants + "]";
    }
}
