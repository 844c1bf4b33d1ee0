package dev.ratchet.join;

import dev.ratchet.state.Member;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The joiner's side of the proof: the token this node was configured with ({@code ratchet.join-token}:
 * a minted {@code rjt_<id>.<secret>} or the bootstrap token), and the key derived from it for the salt a
 * member handed out (kept for the last salt, so retries against the same member do not pay the KDF again).
 * Thread-safe; {@link #answer} blocks for the KDF when the salt is new.
 */
public final class JoinCredential {

    private final String token;
    private final Optional<String> tokenId;
    private final int minIterations;
    private final SecureRandom random;
    private byte[] cachedSalt;
    private int cachedIterations;
    private byte[] cachedKey;

    /** With the production floor: a challenge asking for fewer iterations than a token of this kind needs is refused. */
    public JoinCredential(String token, SecureRandom random) {
        this(token, JoinTokenFormat.idOf(token).isPresent() ? JoinKeys.MINTED_ITERATIONS : JoinKeys.BOOTSTRAP_ITERATIONS,
                random);
    }

    /**
     * @param minIterations the fewest KDF iterations this node accepts from a challenge: an impostor
     *     member asking for a cheap KDF would otherwise get a proof it can guess a weak token from
     */
    JoinCredential(String token, int minIterations, SecureRandom random) {
        this.token = token;
        this.tokenId = JoinTokenFormat.idOf(token);
        this.minIterations = minIterations;
        this.random = random;
    }

    /** What to ask a member for first. */
    public JoinProtocol.ChallengeRequest challengeRequest() {
        return new JoinProtocol.ChallengeRequest(tokenId.orElse(null));
    }

    /** A request answering one challenge, and the key to open the member's answer with. */
    public record Answer(JoinProtocol.JoinRequest request, byte[] key) {

        /** @throws JoinProtocol.JoinRefusedException if the answer was not made by a holder of the token */
        public JoinProtocol.JoinGrant open(JoinProtocol.JoinResponse response) {
            return JoinProtocol.open(key, request, response);
        }
    }

    /**
     * Answers a member's challenge.
     *
     * @throws JoinProtocol.JoinRefusedException if the challenge is malformed or asks for too cheap a KDF
     */
    public Answer answer(JoinProtocol.Challenge challenge, Member self, String incarnation, boolean refreshOnly) {
        if (challenge == null || challenge.issuer() == null || challenge.nonce() == null || challenge.salt() == null) {
            throw new JoinProtocol.JoinRefusedException("join challenge is missing fields");
        }
        if (challenge.iterations() < minIterations) {
            throw new JoinProtocol.JoinRefusedException("member " + challenge.issuer() + " asked for " + challenge.iterations()
                    + " KDF iterations, fewer than the " + minIterations + " this token needs: not answering");
        }
        byte[] salt = JoinProtocol.decode(challenge.salt(), "salt");
        byte[] key = keyFor(salt, challenge.iterations());
        return new Answer(JoinProtocol.request(key, challenge, tokenId.orElse(null), self, incarnation, refreshOnly, random),
                key);
    }

    private synchronized byte[] keyFor(byte[] salt, int iterations) {
        if (cachedKey == null || cachedIterations != iterations || !Arrays.equals(cachedSalt, salt)) {
            cachedKey = JoinKeys.derive(token, salt, iterations);
            cachedSalt = salt.clone();
            cachedIterations = iterations;
        }
        return cachedKey.clone();
    }

    /** The salt as a member hands it out. */
    static String encodeSalt(byte[] salt) {
        return Base64.getEncoder().encodeToString(salt);
    }
}
