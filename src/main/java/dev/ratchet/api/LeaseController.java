package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.lease.LeaseKeeper;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Leases: grant ({@code POST /api/v1/leases} with {@code {"ttl":"10s"}}), keep-alive
 * ({@code POST /api/v1/leases/{id}/keepalive}), revoke ({@code DELETE /api/v1/leases/{id}}), and look
 * ups. Keys written with {@code PUT /api/v1/kv/{key}?lease=ID} are deleted when the lease is revoked or
 * expires. Every change goes through the log; expiry is decided by the leader (package
 * {@code dev.ratchet.lease}). Paths for authorization rules: {@code /api/v1/leases/**}.
 */
@RestController
@RequestMapping(path = "/api/v1/leases", produces = MediaType.APPLICATION_JSON_VALUE)
class LeaseController {

    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final Duration MAX_TTL = Duration.ofDays(1);

    private final Replicator replicator;
    private final ApiProperties properties;
    private final LeaseKeeper keeper;

    LeaseController(Replicator replicator, ApiProperties properties, LeaseKeeper keeper) {
        this.replicator = replicator;
        this.properties = properties;
        this.keeper = keeper;
    }

    /** A granted or kept-alive lease. {@code ttl} as given back to a person, {@code ttlMillis} for programs. */
    record LeaseAnswer(long id, String ttl, long ttlMillis, long revision) {
        static LeaseAnswer of(CommandResult.LeaseGranted g) {
            return new LeaseAnswer(g.leaseId(), g.ttlMillis() % 1000 == 0 ? g.ttlMillis() / 1000 + "s" : g.ttlMillis() + "ms",
                    g.ttlMillis(), g.revision());
        }
    }

    /** A lease as this node knows it; {@code remainingMillis} is exact only on the leader (-1: unknown). */
    record LeaseInfo(long id, long ttlMillis, long remainingMillis, List<String> keys) {
    }

    record Revoked(long id, int deleted, long revision) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<LeaseAnswer> grant(@RequestBody(required = false) Map<String, Object> body) {
        Object ttl = body == null ? null : body.get("ttl");
        if (ttl == null) {
            throw new BadRequestException("a lease needs a ttl, such as {\"ttl\":\"10s\"}");
        }
        Duration d = parseTtl(ttl);
        return submit(new Command.GrantLease(d.toMillis())).thenApply(r -> {
            if (r instanceof CommandResult.LeaseGranted g) {
                return LeaseAnswer.of(g);
            }
            throw new IllegalStateException("unexpected result " + r + " for a lease grant");
        });
    }

    @PostMapping("/{id}/keepalive")
    CompletableFuture<LeaseAnswer> keepAlive(@PathVariable long id) {
        return submit(new Command.KeepAliveLease(requireId(id))).thenApply(r -> {
            if (r instanceof CommandResult.LeaseGranted g) {
                return LeaseAnswer.of(g);
            }
            throw notFound(id, r);
        });
    }

    @DeleteMapping("/{id}")
    CompletableFuture<Revoked> revoke(@PathVariable long id) {
        return submit(new Command.RevokeLease(requireId(id), false)).thenApply(r -> {
            if (r instanceof CommandResult.Deleted d) {
                return new Revoked(id, d.count(), d.revision());
            }
            throw notFound(id, r);
        });
    }

    @GetMapping("/{id}")
    CompletableFuture<LeaseInfo> get(@PathVariable long id, @RequestParam(defaultValue = "false") boolean stale) {
        return barrier(stale).thenApply(v -> replicator.state().leases().stream().filter(l -> l.id() == id).findFirst()
                .map(this::info).orElseThrow(() -> new NotFoundException("lease " + id + " does not exist")));
    }

    @GetMapping
    CompletableFuture<List<LeaseInfo>> list(@RequestParam(defaultValue = "false") boolean stale) {
        return barrier(stale).thenApply(v -> replicator.state().leases().stream().map(this::info).toList());
    }

    private LeaseInfo info(Lease l) {
        return new LeaseInfo(l.id(), l.ttlMillis(), keeper.remainingMillis(l.id()), l.keys().stream().sorted().toList());
    }

    private static long requireId(long id) {
        if (id < 1) {
            throw new BadRequestException("a lease id is a number >= 1");
        }
        return id;
    }

    private static RuntimeException notFound(long id, CommandResult r) {
        if (r instanceof CommandResult.LeaseNotFound) {
            return new NotFoundException("lease " + id + " does not exist (never granted, revoked or expired)");
        }
        return new IllegalStateException("unexpected result " + r + " for lease " + id);
    }

    /** "10s", "500ms", "2m", or a number of seconds. */
    static Duration parseTtl(Object ttl) {
        Duration d;
        if (ttl instanceof Number n) {
            d = Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        } else {
            String t = ttl.toString().trim();
            try {
                d = WaitDurations.withUnit(t);
            } catch (NumberFormatException e) {
                throw new BadRequestException("ttl '" + t + "' is not a duration such as 10s, 1500ms or 5m");
            }
        }
        if (d.compareTo(MIN_TTL) < 0 || d.compareTo(MAX_TTL) > 0) {
            throw new BadRequestException("ttl must be between " + MIN_TTL.toSeconds() + "s and " + MAX_TTL.toHours() + "h");
        }
        return d;
    }

    private CompletableFuture<Void> barrier(boolean stale) {
        return stale ? CompletableFuture.completedFuture(null)
                : replicator.linearizableRead().orTimeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<CommandResult> submit(Command c) {
        return replicator.submit(c).orTimeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
