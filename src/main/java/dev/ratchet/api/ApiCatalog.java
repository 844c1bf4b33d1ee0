package dev.ratchet.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the OpenAPI document says about each operation beyond what springdoc reads from the controllers:
 * a one-line summary and the problem types ({@code urn:ratchet:problem:<slug>}, docs/problems.md) the
 * operation answers with. Operations are keyed {@code "METHOD /path"} with springdoc's spelling of the
 * path ({@code {*key}} becomes {@code {key}}). Immutable; thread-safe.
 */
public final class ApiCatalog {

    /** A documented problem type: its slug (the end of its URN) and HTTP status. */
    public record Problem(String slug, int status) {
        public String type() {
            return ApiErrors.TYPE_PREFIX + slug;
        }
    }

    /**
     * One operation's summary and the problems it may answer; {@code open}: the access rules let anyone
     * call it, so it never answers the credential refusals of {@link #COMMON}.
     */
    public record Operation(String summary, List<Problem> problems, boolean open) {
        /** Every problem the operation may answer: its own, the credential refusals unless open, a bug. */
        public List<Problem> all() {
            List<Problem> all = new ArrayList<>(problems);
            all.addAll(open ? List.of(INTERNAL) : COMMON);
            return List.copyOf(all);
        }
    }

    static final Problem BAD_REQUEST = new Problem("bad-request", 400);
    static final Problem BAD_PARAMETER = new Problem("bad-parameter", 400);
    static final Problem INVALID_KEY = new Problem("invalid-key", 400);
    static final Problem UNAUTHENTICATED = new Problem("unauthenticated", 401);
    static final Problem FORBIDDEN = new Problem("forbidden", 403);
    static final Problem INVALID_CREDENTIALS = new Problem("invalid-credentials", 403);
    static final Problem JOIN_REFUSED = new Problem("join-refused", 403);
    static final Problem NOT_FOUND = new Problem("not-found", 404);
    static final Problem COMPACTED = new Problem("revision-compacted", 410);
    static final Problem PRECONDITION = new Problem("precondition-failed", 412);
    static final Problem TOO_LARGE = new Problem("payload-too-large", 413);
    static final Problem BODY_TOO_LARGE = new Problem("body-too-large", 413);
    static final Problem INTERNAL = new Problem("internal-error", 500);
    static final Problem NO_LEADER = new Problem("no-leader", 503);
    static final Problem LEADER_CHANGED = new Problem("leader-changed", 503);
    static final Problem UNAVAILABLE = new Problem("node-unavailable", 503);
    static final Problem TOO_MANY_WATCHES = new Problem("too-many-watches", 503);
    static final Problem OUTCOME_UNKNOWN = new Problem("outcome-unknown", 504);
    static final Problem TIMED_OUT = new Problem("timed-out", 504);
    static final Problem STORE_FULL = new Problem("store-full", 507);

    /** Every operation may answer these: the filter chain's refusals and a bug. */
    public static final List<Problem> COMMON = List.of(UNAUTHENTICATED, FORBIDDEN, INVALID_CREDENTIALS, INTERNAL);

    /** What a call that goes through the leader (a write, a linearizable read) may also meet. */
    private static final List<Problem> THROUGH_LEADER = List.of(NO_LEADER, LEADER_CHANGED, UNAVAILABLE, TIMED_OUT);

    /** A write may also leave its outcome unknown. */
    private static final List<Problem> WRITE = concat(THROUGH_LEADER, List.of(OUTCOME_UNKNOWN));

    private static final Map<String, Operation> OPERATIONS = build();

    private ApiCatalog() {
    }

    /** Every documented operation, {@code "METHOD /path"} to what is said about it, in a stable order. */
    public static Map<String, Operation> operations() {
        return OPERATIONS;
    }

    private static Map<String, Operation> build() {
        Map<String, Operation> m = new LinkedHashMap<>();
        put(m, "GET /api/v1/kv", "List keys under a prefix, paged; a blocking listing with waitRevision and wait",
                THROUGH_LEADER, INVALID_KEY, BAD_PARAMETER, BAD_REQUEST, TOO_MANY_WATCHES);
        put(m, "GET /api/v1/kv/{key}", "Read a key (linearizable unless stale=true); a blocking read with waitRevision and wait",
                THROUGH_LEADER, INVALID_KEY, BAD_PARAMETER, BAD_REQUEST, NOT_FOUND, TOO_MANY_WATCHES);
        put(m, "PUT /api/v1/kv/{key}", "Write a key's raw bytes (201 when created); If-Match / If-None-Match; ?lease=",
                WRITE, INVALID_KEY, BAD_PARAMETER, BAD_REQUEST, NOT_FOUND, PRECONDITION, TOO_LARGE, STORE_FULL);
        put(m, "DELETE /api/v1/kv/{key}", "Delete a key, optionally only at an etag (If-Match)",
                WRITE, INVALID_KEY, BAD_REQUEST, NOT_FOUND, PRECONDITION);
        put(m, "POST /api/v1/txn", "Compare up to 64 keys, then apply the success or the failure branch atomically",
                WRITE, INVALID_KEY, BAD_REQUEST, NOT_FOUND, TOO_LARGE, BODY_TOO_LARGE, STORE_FULL);
        put(m, "GET /api/v1/watch", "Stream every change under a prefix from a revision as Server-Sent Events",
                THROUGH_LEADER, INVALID_KEY, BAD_PARAMETER, BAD_REQUEST, COMPACTED, TOO_MANY_WATCHES);
        put(m, "POST /api/v1/leases", "Grant a lease with a TTL", WRITE, BAD_REQUEST, BODY_TOO_LARGE);
        put(m, "GET /api/v1/leases", "List the leases", THROUGH_LEADER);
        put(m, "GET /api/v1/leases/{id}", "Read one lease's TTL and attached keys", THROUGH_LEADER, BAD_PARAMETER, NOT_FOUND);
        put(m, "POST /api/v1/leases/{id}/keepalive", "Restart a lease's countdown", WRITE, BAD_PARAMETER, NOT_FOUND);
        put(m, "DELETE /api/v1/leases/{id}", "Revoke a lease, deleting its keys", WRITE, BAD_PARAMETER, NOT_FOUND);
        put(m, "GET /api/v1/artifacts", "List artifacts under a prefix", THROUGH_LEADER, INVALID_KEY, BAD_REQUEST);
        put(m, "DELETE /api/v1/artifacts", "Delete every artifact under a prefix", WRITE, INVALID_KEY, BAD_REQUEST);
        put(m, "PUT /api/v1/artifacts/{path}", "Stream a file in; answers its SHA-256 as ETag once committed",
                WRITE, INVALID_KEY, BAD_REQUEST, PRECONDITION, TOO_LARGE, STORE_FULL);
        put(m, "GET /api/v1/artifacts/{path}", "Stream an artifact back (HEAD for headers only; one Range)",
                THROUGH_LEADER, INVALID_KEY, BAD_REQUEST, NOT_FOUND);
        put(m, "DELETE /api/v1/artifacts/{path}", "Delete one artifact", WRITE, INVALID_KEY, BAD_REQUEST, NOT_FOUND, PRECONDITION);
        put(m, "GET /api/v1/cluster", "This node's view of the cluster: role, term, leader, members", List.of());
        open(m, "GET /api/v1/cluster/roots", "The trust roots this node trusts (certificates only)", List.of());
        open(m, "POST /api/v1/cluster/join/challenge", "A one-time challenge for a join (30 s, this node only)",
                List.of(UNAVAILABLE), BAD_REQUEST, BODY_TOO_LARGE);
        open(m, "POST /api/v1/cluster/join", "A joining node answers its challenge with the join token and receives the roots",
                THROUGH_LEADER, BAD_REQUEST, JOIN_REFUSED, BODY_TOO_LARGE);
        open(m, "GET /api/v1/bootstrap/status", "Bootstrap probe: this node is a member (answer signed with the join token)",
                List.of(), BAD_REQUEST);
        put(m, "POST /api/v1/admin/roots/rotate", "Rotate the trust roots now", WRITE);
        put(m, "POST /api/v1/admin/leadership/transfer", "Hand leadership to another voter", THROUGH_LEADER, BAD_REQUEST);
        put(m, "POST /api/v1/admin/members", "Add a member", WRITE, BAD_REQUEST, BODY_TOO_LARGE);
        put(m, "DELETE /api/v1/admin/members/{id}", "Remove a member, barring its incarnations and rotating past its roots",
                WRITE, BAD_REQUEST, NOT_FOUND);
        put(m, "POST /api/v1/admin/members/{id}/promote", "Promote a caught-up learner to voter (beyond ratchet.join.max-voters)",
                WRITE, BAD_REQUEST, NOT_FOUND);
        put(m, "POST /api/v1/admin/snapshot", "Take a snapshot of this node's state now", List.of(UNAVAILABLE));
        put(m, "GET /api/v1/admin/backup", "Download a backup of the committed state (no private keys)", THROUGH_LEADER);
        put(m, "POST /api/v1/admin/tokens", "Create an API token (the secret is shown only in this answer)",
                WRITE, BAD_REQUEST, BODY_TOO_LARGE);
        put(m, "GET /api/v1/admin/tokens", "List API tokens (never a secret)", THROUGH_LEADER);
        put(m, "DELETE /api/v1/admin/tokens/{id}", "Revoke an API token", WRITE, BAD_REQUEST, NOT_FOUND);
        put(m, "POST /api/v1/admin/join-tokens", "Mint a join token with a lifetime and optional uses (secret shown once)",
                WRITE, BAD_REQUEST, BODY_TOO_LARGE);
        put(m, "GET /api/v1/admin/join-tokens", "List join tokens (never a secret)", THROUGH_LEADER);
        put(m, "DELETE /api/v1/admin/join-tokens/{id}", "Revoke a join token", WRITE, BAD_REQUEST, NOT_FOUND);
        put(m, "POST /api/v1/admin/join-tokens/bootstrap/retire", "Retire the configured bootstrap join token", WRITE);
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, Operation> m, String key, String summary, List<Problem> base, Problem... own) {
        add(m, key, summary, base, false, own);
    }

    /** An operation the access rules open to anyone (docs/security.md). */
    private static void open(Map<String, Operation> m, String key, String summary, List<Problem> base, Problem... own) {
        add(m, key, summary, base, true, own);
    }

    private static void add(Map<String, Operation> m, String key, String summary, List<Problem> base, boolean open,
            Problem... own) {
        List<Problem> all = new ArrayList<>(List.of(own));
        all.addAll(base);
        if (m.put(key, new Operation(summary, List.copyOf(all), open)) != null) {
            throw new IllegalStateException("operation listed twice: " + key);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
