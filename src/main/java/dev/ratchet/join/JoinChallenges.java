package dev.ratchet.join;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The challenges one member handed out and not yet seen answered: each is good for one request, at this
 * member only, for {@link #TTL}. At most {@link #MAX_OUTSTANDING} are open; past that a new one is refused
 * (the joiner retries) rather than pushing out one a joiner is answering. Thread-safe.
 */
final class JoinChallenges {

    static final Duration TTL = Duration.ofSeconds(30);
    static final int MAX_OUTSTANDING = 256;

    /** What a challenge was issued for: the minted token's id, or null for the bootstrap token. */
    record Issued(String tokenId, long expiresMillis) {
    }

    private final Map<String, Issued> open = new LinkedHashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    JoinChallenges(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * A fresh nonce (base64) for a challenge about {@code tokenId}.
     *
     * @return empty when {@link #MAX_OUTSTANDING} unexpired challenges are open
     */
    synchronized Optional<String> issue(String tokenId) {
        long now = clock.millis();
        dropExpired(now);
        if (open.size() >= MAX_OUTSTANDING) {
            return Optional.empty();
        }
        byte[] nonce = new byte[JoinProtocol.NONCE_BYTES];
        random.nextBytes(nonce);
        String text = Base64.getEncoder().encodeToString(nonce);
        open.put(text, new Issued(tokenId, now + TTL.toMillis()));
        return Optional.of(text);
    }

    /** Takes the challenge out for good, whatever the answer to it turns out to be; empty if unknown, used or expired. */
    synchronized Optional<Issued> take(String nonce) {
        Issued issued = open.remove(nonce);
        if (issued == null || clock.millis() >= issued.expiresMillis()) {
            return Optional.empty();
        }
        return Optional.of(issued);
    }

    synchronized int outstanding() {
        dropExpired(clock.millis());
        return open.size();
    }

    private void dropExpired(long now) {
        // Insertion order is expiry order: every challenge lives for the same TTL.
        for (Iterator<Issued> it = open.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresMillis() > now) {
                break;
            }
            it.remove();
        }
    }
}
