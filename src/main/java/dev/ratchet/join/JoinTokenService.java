package dev.ratchet.join;

import dev.ratchet.node.Replicator;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.JoinTokenRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Minted join tokens: created with a lifetime and an optional number of uses, listed, revoked, and the
 * configured bootstrap token retired, all through replicated commands. Thread-safe.
 */
public final class JoinTokenService {

    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(366);
    public static final int MAX_USES = JoinTokenRecord.MAX_USES;

    /** A token just minted: {@code token} is the only time its secret is shown. */
    public record Minted(JoinTokenRecord record, String token) {
    }

    private final Replicator replicator;
    private final Clock clock;
    private final SecureRandom random;

    public JoinTokenService(Replicator replicator, Clock clock, SecureRandom random) {
        this.replicator = Objects.requireNonNull(replicator, "replicator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Replicates a new token. Blocks the caller for the KDF ({@link JoinKeys#MINTED_ITERATIONS}, milliseconds).
     *
     * @param uses how many joins it may admit; null: any number until it expires
     * @throws IllegalArgumentException (at once) for a lifetime outside 1 minute..366 days or uses outside 1..{@link JoinTokenRecord#MAX_USES}
     * @return the token with its secret, once the record is applied on this node
     */
    public CompletableFuture<Minted> mint(Duration ttl, Integer uses) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a join token's ttl is between 1m and 366 days (" + MAX_TTL.toHours() + "h)");
        }
        if (uses != null && (uses < 1 || uses > MAX_USES)) {
            throw new IllegalArgumentException("a join token's uses is between 1 and " + MAX_USES + " (leave it out for no limit)");
        }
        ClusterState state = replicator.state();
        String id;
        do {
            byte[] idBytes = new byte[JoinTokenFormat.ID_LENGTH / 2];
            random.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        } while (state.joinToken(id) != null);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = JoinTokenFormat.of(id, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        byte[] salt = new byte[JoinTokenRecord.SALT_BYTES];
        random.nextBytes(salt);
        long now = clock.millis();
        JoinTokenRecord record = new JoinTokenRecord(id, salt, JoinKeys.MINTED_ITERATIONS,
                JoinKeys.derive(token, salt, JoinKeys.MINTED_ITERATIONS), now, now + ttl.toMillis(),
                uses == null ? 0 : uses, List.of());
        return replicator.submit(new Command.PutJoinToken(record)).thenApply(r -> new Minted(record, token));
    }

    /** Every minted token on this node's replica (call after a linearizable read for a current list). */
    public List<JoinTokenRecord> list() {
        return replicator.state().joinTokens();
    }

    /** True once an admin retired the bootstrap token (this node's replica). */
    public boolean bootstrapRetired() {
        return replicator.state().bootstrapTokenRetired();
    }

    /**
     * Replicates a revocation.
     *
     * @throws IllegalArgumentException (at once) for a malformed id
     * @return true once applied, false when no token had that id
     */
    public CompletableFuture<Boolean> revoke(String id) {
        JoinTokenRecord.requireValidId(id);
        return replicator.submit(new Command.RevokeJoinToken(id)).thenApply(r -> r instanceof CommandResult.Deleted);
    }

    /** Replicates the bootstrap token's retirement; completes once applied here. Idempotent. */
    public CompletableFuture<Void> retireBootstrap() {
        return replicator.submit(new Command.RetireBootstrapToken()).thenApply(r -> null);
    }
}
