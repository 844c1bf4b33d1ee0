package dev.ratchet.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * A minted join token as the replicated state keeps it: never the secret, only a salted PBKDF2 of the
 * whole token text ({@code rjt_<id>.<secret>}). That derived key is what a joiner proves it can compute
 * (see {@code dev.ratchet.join.JoinProtocol}); it is as good as the token to someone who reads the state,
 * but whoever reads the state already holds the trust roots. Expiry and the use count are judged by the
 * leader; the record only carries the numbers, so applying it never reads a clock. Immutable.
 *
 * @param id 12 lower-case hex characters, the public half of the token
 * @param salt 16 random bytes
 * @param iterations PBKDF2-HMAC-SHA256 iterations for {@code derivedKey}
 * @param derivedKey PBKDF2-HMAC-SHA256(token text, salt, iterations), 32 bytes
 * @param createdMillis when the admin created it (the proposer's clock; informational)
 * @param expiresMillis from this instant on (leader's clock) it admits no one
 * @param maxUses how many joins it may admit; 0: no limit until it expires
 * @param used how many joins it admitted so far (counted by replicated commands)
 */
public record JoinTokenRecord(String id, byte[] salt, int iterations, byte[] derivedKey, long createdMillis,
        long expiresMillis, int maxUses, int used) {

    public static final int SALT_BYTES = 16;
    public static final int KEY_BYTES = 32;

    public JoinTokenRecord {
        requireValidId(id);
        if (salt == null || salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("a join token's salt is " + SALT_BYTES + " bytes");
        }
        if (derivedKey == null || derivedKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a join token's derived key is " + KEY_BYTES + " bytes");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("a join token needs at least one KDF iteration");
        }
        if (maxUses < 0 || used < 0 || (maxUses > 0 && used > maxUses)) {
            throw new IllegalArgumentException("a join token's use count is 0.." + maxUses + ", not " + used);
        }
        if (expiresMillis <= createdMillis) {
            throw new IllegalArgumentException("a join token must expire after it was created");
        }
        salt = salt.clone();
        derivedKey = derivedKey.clone();
    }

    /** Checks a join token id: 12 lower-case hex characters. */
    public static String requireValidId(String id) {
        if (id == null || !id.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("a join token id is 12 lower-case hex characters");
        }
        return id;
    }

    /** Why this token admits no one at {@code nowMillis}, or null when it still may. */
    public String refusal(long nowMillis) {
        if (nowMillis >= expiresMillis) {
            return "join token " + id + " has expired";
        }
        if (maxUses > 0 && used >= maxUses) {
            return "join token " + id + " has no uses left (" + used + " of " + maxUses + ")";
        }
        return null;
    }

    /** This record with one more use counted. */
    JoinTokenRecord withOneMoreUse() {
        return new JoinTokenRecord(id, salt, iterations, derivedKey, createdMillis, expiresMillis, maxUses, used + 1);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] derivedKey() {
        return derivedKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinTokenRecord t && id.equals(t.id) && Arrays.equals(salt, t.salt)
                && iterations == t.iterations && Arrays.equals(derivedKey, t.derivedKey)
                && createdMillis == t.createdMillis && expiresMillis == t.expiresMillis && maxUses == t.maxUses
                && used == t.used;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, iterations, createdMillis, expiresMillis, maxUses, used) * 31 + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "JoinToken[" + id + ", expires " + expiresMillis + ", used " + used + "/" + maxUses + "]";
    }
}
