package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, data-plane authorization, over real HTTP: API tokens created through the admin API, each
 * role tried on every endpoint, allowed and refused. "Allowed" means the access rules let the request
 * through (the answer may still be 404 for a key that does not exist); "refused" is 401 without
 * credentials, 403 with credentials that do not cover the request. Anonymous access is off on this node.
 */
class RolesHttpTest extends SoloNodeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String reader;
    private String writer;
    private String adminGrant;

    /** One request and who may make it. */
    record Case(String method, String target, String body, List<String> allowed) {
    }

    @BeforeAll
    void createTokens() throws IOException {
        reader = create("reader", "\"kv:read:app/\",\"artifacts:read:builds/\"");
        writer = create("writer", "\"kv:readwrite:app/\",\"artifacts:write:builds/\"");
        adminGrant = create("operator", "\"admin\"");
        RawHttp.Response put = http.send("PUT", "/api/v1/kv/app/seed", SoloNode.ADMIN_TOKEN, "\"seed\"");
        assertThat(put.status()).as(put.body()).isIn(200, 201);
    }

    private String create(String name, String grants) throws IOException {
        RawHttp.Response r = http.send("POST", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"grants\":[" + grants + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = JSON.readTree(r.body()).path("token").asString();
        assertThat(token).startsWith(ApiTokenFormat.PREFIX);
        return token;
    }

    private String credential(String role) {
        return switch (role) {
            case "anonymous" -> null;
            case "reader" -> reader;
            case "writer" -> writer;
            case "admin-grant" -> adminGrant;
            case "admin-token" -> SoloNode.ADMIN_TOKEN;
            default -> throw new IllegalArgumentException(role);
        };
    }

    private static final List<String> ROLES = List.of("anonymous", "reader", "writer", "admin-grant", "admin-token");
    private static final List<String> ADMINS = List.of("admin-grant", "admin-token");

    private static List<String> and(List<String> roles, String... more) {
        List<String> all = new ArrayList<>(roles);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void everyRoleOnEveryEndpoint() throws IOException {
        List<String> everyone = ROLES;
        List<Case> cases = List.of(
                new Case("GET", "/actuator/health", null, everyone),
                new Case("GET", "/actuator/prometheus", null, everyone),
                new Case("GET", "/api/v1/cluster/roots", null, everyone),
                // A wiped founder asks the members before it founds anything: it has no credential but the
                // join token, which the answer's MAC proves.
                new Case("GET", "/api/v1/bootstrap/status?nonce=" + "0123456789abcdef".repeat(2), null, everyone),
                new Case("GET", "/api/v1/cluster", null, and(ADMINS, "reader", "writer")),
                new Case("GET", "/actuator", null, ADMINS),
                new Case("GET", "/actuator/consensus", null, ADMINS),
                new Case("GET", "/actuator/roots", null, ADMINS),
                new Case("GET", "/actuator/info", null, ADMINS),
                new Case("GET", "/api/v1/admin/backup", null, ADMINS),
                new Case("POST", "/api/v1/admin/snapshot", null, ADMINS),
                new Case("GET", "/api/v1/admin/tokens", null, ADMINS),
                new Case("POST", "/api/v1/admin/leadership/transfer?to=solo", null, ADMINS),
                new Case("GET", "/api/v1/kv/app/seed", null, and(ADMINS, "reader", "writer")),
                new Case("HEAD", "/api/v1/kv/app/seed", null, and(ADMINS, "reader", "writer")),
                new Case("GET", "/api/v1/kv?prefix=app/", null, and(ADMINS, "reader", "writer")),
                new Case("GET", "/api/v1/kv?prefix=app/sub/", null, and(ADMINS, "reader", "writer")),
                new Case("GET", "/api/v1/kv", null, ADMINS),
                new Case("GET", "/api/v1/kv?prefix=ap", null, ADMINS),
                new Case("GET", "/api/v1/kv?prefix=app/&prefix=other/", null, List.of()),
                new Case("GET", "/api/v1/kv/other/x", null, ADMINS),
                new Case("PUT", "/api/v1/kv/app/written", "\"v\"", and(ADMINS, "writer")),
                new Case("DELETE", "/api/v1/kv/app/written", null, and(ADMINS, "writer")),
                new Case("PUT", "/api/v1/kv/other/x", "\"v\"", ADMINS),
                new Case("PUT", "/api/v1/kv/apple", "\"v\"", ADMINS),
                new Case("GET", "/api/v1/artifacts?prefix=builds/", null, and(ADMINS, "reader")),
                new Case("GET", "/api/v1/artifacts/builds/none.jar", null, and(ADMINS, "reader")),
                new Case("PUT", "/api/v1/artifacts/builds/a.jar", "\"jar\"", and(ADMINS, "writer")),
                new Case("DELETE", "/api/v1/artifacts/builds/a.jar", null, and(ADMINS, "writer")),
                new Case("DELETE", "/api/v1/artifacts?prefix=builds/", null, and(ADMINS, "writer")),
                new Case("DELETE", "/api/v1/artifacts?prefix=", null, ADMINS),
                new Case("PUT", "/api/v1/artifacts/elsewhere/a.jar", "\"jar\"", ADMINS),
                new Case("POST", "/api/v1/txn", "{\"compare\":[],\"success\":[],\"failure\":[]}", ADMINS),
                new Case("POST", "/api/v1/leases", "{\"ttl\":\"10s\"}", ADMINS),
                new Case("GET", "/api/v1/leases", null, ADMINS),
                new Case("DELETE", "/api/v1/leases/999999", null, ADMINS),
                new Case("OPTIONS", "/api/v1/kv/app/seed", null, List.of()),
                new Case("GET", "/error", null, List.of()),
                new Case("GET", "/nothing/here", null, List.of()));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            for (String role : ROLES) {
                RawHttp.Response r = http.send(c.method(), c.target(), credential(role), c.body());
                boolean allowed = c.allowed().contains(role);
                boolean refused = r.status() == 401 || r.status() == 403;
                int expectedRefusal = role.equals("anonymous") ? 401 : 403;
                if (allowed == refused || (!allowed && r.status() != expectedRefusal)) {
                    wrong.add(role + " " + c.method() + " " + c.target() + " -> " + r.status()
                            + (allowed ? " (should be allowed)" : " (should be " + expectedRefusal + ")"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Refusals only: an allowed watch streams until the server ends it. */
    @Test
    void watchesNeedReadOnTheirPrefix() throws IOException {
        assertThat(http.send("GET", "/api/v1/watch?prefix=app/", null, null).status()).isEqualTo(401);
        assertThat(http.send("GET", "/api/v1/watch?prefix=other/", reader, null).status()).isEqualTo(403);
        assertThat(http.send("GET", "/api/v1/watch", writer, null).status()).isEqualTo(403);
        assertThat(http.send("GET", "/api/v1/watch?prefix=app/&prefix=x/", adminGrant, null).status()).isEqualTo(403);
    }

    @Test
    void theSecretIsShownOnceAndARevokedTokenStopsWorking() throws IOException {
        String temp = create("temporary", "\"kv:read:app/\"");
        String id = temp.substring(ApiTokenFormat.PREFIX.length(), ApiTokenFormat.PREFIX.length() + ApiTokenFormat.ID_LENGTH);
        assertThat(http.send("GET", "/api/v1/kv/app/seed", temp).status()).isEqualTo(200);

        RawHttp.Response list = http.send("GET", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN);
        assertThat(list.status()).isEqualTo(200);
        String secret = temp.substring(temp.indexOf('.') + 1);
        assertThat(list.body()).contains(id).contains("temporary").doesNotContain(secret).doesNotContain("secretSha256");
        JsonNode listed = JSON.readTree(list.body());
        assertThat(listed.isArray()).isTrue();

        assertThat(http.send("DELETE", "/api/v1/admin/tokens/" + id, SoloNode.ADMIN_TOKEN).status()).isEqualTo(204);
        RawHttp.Response after = http.send("GET", "/api/v1/kv/app/seed", temp);
        assertThat(after.status()).isEqualTo(403);
        assertThat(after.body()).contains(Problems.INVALID_CREDENTIALS);
        assertThat(http.send("DELETE", "/api/v1/admin/tokens/" + id, SoloNode.ADMIN_TOKEN).status()).isEqualTo(404);
        // A token cannot mint tokens unless it is admin.
        assertThat(http.send("POST", "/api/v1/admin/tokens", writer, "{\"name\":\"x\",\"grants\":[\"admin\"]}").status())
                .isEqualTo(403);
    }

    @Test
    void badTokenRequestsAreRefusedWithReasons() throws IOException {
        for (String body : List.of("{\"name\":\"x\",\"grants\":[]}", "{\"name\":\"x\",\"grants\":[\"kv:all:\"]}",
                "{\"name\":\"bad name\",\"grants\":[\"admin\"]}", "{\"grants\":[\"admin\"]}", "not json")) {
            RawHttp.Response r = http.send("POST", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN, body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        }
        assertThat(http.send("DELETE", "/api/v1/admin/tokens/NOT-AN-ID", SoloNode.ADMIN_TOKEN).status()).isEqualTo(400);
        String forged = ApiTokenFormat.PREFIX + "0123456789ab." + "A".repeat(ApiTokenFormat.SECRET_LENGTH);
        assertThat(http.send("GET", "/api/v1/kv/app/seed", forged).status()).isEqualTo(403);
    }
}
