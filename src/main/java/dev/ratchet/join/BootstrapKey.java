package dev.ratchet.join;

import java.security.SecureRandom;

/**
 * The configured bootstrap token's key on this member: PBKDF2 under a salt drawn when the node starts,
 * derived once, on first use (it takes {@link JoinKeys#BOOTSTRAP_ITERATIONS}, a fraction of a second).
 * Thread-safe; {@link #key()} blocks the first caller for the KDF.
 */
public final class BootstrapKey {

    private final String token;
    private final byte[] salt;
    private final int iterations;
    private byte[] key;

    public BootstrapKey(String token, SecureRandom random) {
        this(token, random, JoinKeys.BOOTSTRAP_ITERATIONS);
    }

    /** With another iteration count: for tests, whose joiners accept it through {@link JoinCredential}'s floor. */
    BootstrapKey(String token, SecureRandom random, int iterations) {
        this.token = token;
        this.salt = new byte[16];
        random.nextBytes(salt);
        this.iterations = iterations;
    }

    byte[] salt() {
        return salt.clone();
    }

    int iterations() {
        return iterations;
    }

    synchronized byte[] key() {
        if (key == null) {
            key = JoinKeys.derive(token, salt, iterations);
        }
        return key.clone();
    }
}
