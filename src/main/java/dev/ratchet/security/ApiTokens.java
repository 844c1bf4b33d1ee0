package dev.ratchet.security;

import dev.ratchet.node.Replicator;
import dev.ratchet.state.ApiTokenRecord;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * API tokens: created, listed and revoked by an admin, kept in the replicated state as
 * {@link ApiTokenRecord}s (the secret's SHA-256, never the secret), and checked on every request against
 * this node's replica. A revocation takes effect on a node once it has applied the revoking entry (a
 * follower lags the leader by at most its replication delay). Thread-safe.
 */
public final class ApiTokens implements CredentialResolver.TokenBook {

    /** A token just created: {@code token} is the only time its secret is shown. */
    public record Created(ApiTokenRecord record, String token) {
    }

    private final Replicator replicator;
    private final Clock clock;
    private final SecureRandom random;

    public ApiTokens(Replicator replicator, Clock clock, SecureRandom random) {
        this.replicator = Objects.requireNonNull(replicator, "replicator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Replicates a new token.
     *
     * @throws IllegalArgumentException (at once) for a bad name or grant, naming what is wrong
     * @return the token with its secret, once the record is applied on this node
     */
    public CompletableFuture<Created> create(String name, List<String> grantTexts) {
        if (grantTexts == null || grantTexts.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one grant");
        }
        List<String> grants = new ArrayList<>();
        for (String text : grantTexts) {
            grants.add(Grant.parse(text).toString());
        }
        ClusterState state = replicator.state();
        String id;
        do {
            byte[] idBytes = new byte[ApiTokenFormat.ID_LENGTH / 2];
            random.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        } while (state.apiToken(id) != null);
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        ApiTokenRecord record = new ApiTokenRecord(id, name, ApiTokenFormat.hash(secret), grants, clock.millis());
        String token = ApiTokenFormat.PREFIX + id + "." + secret;
        return replicator.submit(new Command.PutApiToken(record)).thenApply(r -> new Created(record, token));
    }

    /** Every token record on this node's replica (call after a linearizable read for a current list). */
    public List<ApiTokenRecord> list() {
        return replicator.state().apiTokens();
    }

    /**
     * Replicates a revocation.
     *
     * @return true once applied, false when no token had that id
     */
    public CompletableFuture<Boolean> revoke(String id) {
        ApiTokenRecord.requireValidId(id);
        return replicator.submit(new Command.RevokeApiToken(id)).thenApply(r -> r instanceof CommandResult.Deleted);
    }

    @Override
    public Optional<ApiPrincipal> principalFor(String bearer) {
        String[] parts = ApiTokenFormat.parse(bearer);
        if (parts == null) {
            return Optional.empty();
        }
        ApiTokenRecord record = replicator.state().apiToken(parts[0]);
        if (record == null || !MessageDigest.isEqual(record.secretSha256(), ApiTokenFormat.hash(parts[1]))) {
            return Optional.empty();
        }
        List<Grant> grants = new ArrayList<>(record.grants().size());
        for (String text : record.grants()) {
            try {
                grants.add(Grant.parse(text));
            } catch (IllegalArgumentException e) {
                // Checked at creation; a grant this version cannot read grants nothing rather than fail open.
            }
        }
        return Optional.of(new ApiPrincipal("token:" + record.id() + ":" + record.name(), grants));
    }
}
