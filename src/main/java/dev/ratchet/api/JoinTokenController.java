package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.join.JoinTokenService;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.JoinTokenRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Join tokens under {@code /api/v1/admin/join-tokens} (admin only): mint one with a lifetime and an
 * optional number of uses (the answer is the only place its secret appears), list them (never a secret),
 * revoke one, and retire the configured bootstrap token. Any node takes these; the records replicate.
 */
@RestController
@RequestMapping("/api/v1/admin/join-tokens")
class JoinTokenController {

    private final JoinTokenService tokens;
    private final Replicator replicator;
    private final ApiProperties api;

    JoinTokenController(JoinTokenService tokens, Replicator replicator, ApiProperties api) {
        this.tokens = tokens;
        this.replicator = replicator;
        this.api = api;
    }

    /** {@code ttl} as "24h", "30m", or seconds; {@code uses} absent for no limit. */
    record MintRequest(Object ttl, Integer uses) {
    }

    record TokenView(String id, Instant createdAt, Instant expiresAt, Integer maxUses, int used) {
        static TokenView of(JoinTokenRecord r) {
            return new TokenView(r.id(), Instant.ofEpochMilli(r.createdMillis()), Instant.ofEpochMilli(r.expiresMillis()),
                    r.maxUses() == 0 ? null : r.maxUses(), r.used());
        }
    }

    /** Every minted token and whether the bootstrap token still admits. */
    record TokenList(boolean bootstrapRetired, List<TokenView> tokens) {
    }

    record MintedView(String id, Instant expiresAt, Integer maxUses, String token) {
    }

    record RetiredView(boolean bootstrapRetired) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<MintedView>> mint(@RequestBody MintRequest request) {
        if (request == null || request.ttl() == null) {
            throw new BadRequestException("a join token needs a ttl, e.g. {\"ttl\":\"24h\",\"uses\":1}");
        }
        Duration ttl;
        if (request.ttl() instanceof Number n) {
            ttl = Duration.ofSeconds(n.longValue());
        } else {
            try {
                ttl = WaitDurations.withUnit(request.ttl().toString().trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException("ttl '" + request.ttl() + "' is not a duration such as 24h, 30m or 600s");
            }
        }
        return timed(tokens.mint(ttl, request.uses())).thenApply(m -> {
            JoinTokenRecord r = m.record();
            return ResponseEntity.created(URI.create("/api/v1/admin/join-tokens/" + r.id()))
                    .body(new MintedView(r.id(), Instant.ofEpochMilli(r.expiresMillis()),
                            r.maxUses() == 0 ? null : r.maxUses(), m.token()));
        });
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<TokenList> list() {
        return timed(replicator.linearizableRead()).thenApply(v -> new TokenList(tokens.bootstrapRetired(),
                tokens.list().stream().map(TokenView::of).toList()));
    }

    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<Void>> revoke(@PathVariable("id") String id) {
        return timed(tokens.revoke(id)).thenApply(revoked -> {
            if (!revoked) {
                throw new NotFoundException("no join token '" + id + "'");
            }
            return ResponseEntity.noContent().build();
        });
    }

    @PostMapping(path = "/bootstrap/retire", produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<RetiredView> retireBootstrap() {
        return timed(tokens.retireBootstrap()).thenApply(v -> new RetiredView(true));
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        return future.orTimeout(api.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
