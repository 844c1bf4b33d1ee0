package dev.ratchet.join;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key a join proof is made with: PBKDF2-HMAC-SHA256 of the whole token text under a salt the member
 * hands out. For the configured bootstrap token (an operator's string, possibly weak) the iteration count
 * is {@link #BOOTSTRAP_ITERATIONS}, so each offline guess against a sniffed proof costs that much; a
 * minted token's secret is 256 random bits, which no number of guesses finds, so
 * {@link #MINTED_ITERATIONS} only makes the stored record a salted hash rather than the token itself.
 * Stateless; thread-safe; {@link #derive} blocks the caller for as long as the iterations take.
 */
public final class JoinKeys {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int BOOTSTRAP_ITERATIONS = 600_000;
    public static final int MINTED_ITERATIONS = 10_000;
    public static final int KEY_BYTES = 32;

    private JoinKeys() {
    }

    /** PBKDF2-HMAC-SHA256(token, salt, iterations), 32 bytes. */
    public static byte[] derive(String token, byte[] salt, int iterations) {
        char[] chars = token.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
        } finally {
            spec.clearPassword();
            java.util.Arrays.fill(chars, '\0');
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
