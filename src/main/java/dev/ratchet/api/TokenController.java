package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.security.ApiTokens;
import dev.ratchet.state.ApiTokenRecord;
import java.net.URI;
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
 * API tokens under {@code /api/v1/admin/tokens} (admin only, like every admin path): create one with a
 * name and grants (the answer is the only place its secret ever appears), list them (ids, names, grants,
 * never a secret or hash), revoke one. Any node takes these requests; the records replicate through Raft.
 */
@RestController
@RequestMapping("/api/v1/admin/tokens")
class TokenController {

    private final ApiTokens tokens;
    private final Replicator replicator;
    private final ApiProperties api;

    TokenController(ApiTokens tokens, Replicator replicator, ApiProperties api) {
        this.tokens = tokens;
        this.replicator = replicator;
        this.api = api;
    }

    /** What to create: {@code grants} as in {@code dev.ratchet.security.Grant}, e.g. {@code kv:read:app/}. */
    record TokenRequest(String name, List<String> grants) {
    }

    /** A token as listed. */
    record TokenView(String id, String name, List<String> grants, Instant createdAt) {
        static TokenView of(ApiTokenRecord r) {
            return new TokenView(r.id(), r.name(), r.grants(), Instant.ofEpochMilli(r.createdMillis()));
        }
    }

    /** A token just created, with its secret: {@code Authorization: Bearer <token>}. */
    record CreatedView(String id, String name, List<String> grants, Instant createdAt, String token) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<CreatedView>> create(@RequestBody TokenRequest request) {
        if (request == null || request.name() == null) {
            throw new BadRequestException("a token needs a name and grants, e.g. "
                    + "{\"name\":\"ci\",\"grants\":[\"artifacts:write:builds/\"]}");
        }
        return timed(tokens.create(request.name(), request.grants())).thenApply(c -> {
            ApiTokenRecord r = c.record();
            return ResponseEntity.created(URI.create("/api/v1/admin/tokens/" + r.id()))
                    .body(new CreatedView(r.id(), r.name(), r.grants(), Instant.ofEpochMilli(r.createdMillis()), c.token()));
        });
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<List<TokenView>> list() {
        return timed(replicator.linearizableRead()).thenApply(v -> tokens.list().stream().map(TokenView::of).toList());
    }

    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<Void>> revoke(@PathVariable("id") String id) {
        return timed(tokens.revoke(id)).thenApply(revoked -> {
            if (!revoked) {
                throw new NotFoundException("no API token '" + id + "'");
            }
            return ResponseEntity.noContent().build();
        });
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        return future.orTimeout(api.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
