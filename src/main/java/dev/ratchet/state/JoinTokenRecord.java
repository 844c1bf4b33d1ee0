package dev.ratchet.state;

import java.util.Arrays;
import java.util.List;
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
 * @param maxUses how many joins it may admit; 0: up to {@link #MAX_USES} until it expires
 * @param usedBy the Raft ids (node id and incarnation) it admitted, in order: a joiner whose answer was
 *     lost and that asks again uses nothing more
 */
public record JoinTokenRecord(String id, byte[] salt, int iterations, byte[] derivedKey, long createdMillis,
        long expiresMillis, int maxUses, List<String> usedBy) {

    public static final int SALT_BYTES = 16;
    public static final int KEY_BYTES = 32;
    /** The most joins one token admits, also when it was minted without a limit (it keeps their ids). */
    public static final int MAX_USES = 10_000;

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
        usedBy = List.copyOf(usedBy);
        if (maxUses < 0 || maxUses > MAX_USES || usedBy.size() > limit(maxUses)) {
            throw new IllegalArgumentException("a join token admits 1.." + MAX_USES + " joins, and " + usedBy.size()
                    + " uses do not fit " + maxUses);
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

    private static int limit(int maxUses) {
        return maxUses == 0 ? MAX_USES : maxUses;
    }

    /** How many joins it admitted. */
    public int used() {
        return usedBy.size();
    }

    /**
     * Why this token admits no new joiner {@code raftId} at {@code nowMillis}, or null when it may (always
     * null for a joiner it already admitted, until it expires).
     */
    public String refusal(long nowMillis, String raftId) {
        if (nowMillis >= expiresMillis) {
            return "join token " + id + " has expired";
        }
        if (!usedBy.contains(raftId) && usedBy.size() >= limit(maxUses)) {
            return "join token " + id + " has no uses left (" + usedBy.size() + " of " + limit(maxUses) + ")";
        }
        return null;
    }

    /** This record with {@code raftId}'s use counted (once). */
    JoinTokenRecord usedBy(String raftId) {
        if (usedBy.contains(raftId)) {
            return this;
        }
        List<String> next = new java.util.ArrayList<>(usedBy);
        next.add(raftId);
        return new JoinTokenRecord(id, salt, iterations, derivedKey, createdMillis, expiresMillis, maxUses, next);
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
                && usedBy.equals(t.usedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, iterations, createdMillis, expiresMillis, maxUses, usedBy) * 31 + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "JoinToken[" + id + ", expires " + expiresMillis + ", used " + usedBy.size() + "/" + limit(maxUses) + "]";
    }
}
