package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13: every refusal speaks problem+json with a stable type, including the ones Tomcat makes
 * before a request reaches Spring (a NUL in the path used to get Tomcat's HTML error page).
 */
class ContainerErrorsTest extends SoloNodeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode problem(RawHttp.Response r, String what) {
        assertThat(r.contentType()).as("%s: %s %s", what, r.status(), r.body()).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asInt()).as(what).isEqualTo(r.status());
        assertThat(body.path("type").asString()).as(what).startsWith("urn:ratchet:problem:");
        return body;
    }

    @Test
    void malformedRequestTargetsGetProblemBodies() throws IOException {
        for (String target : List.of("/api/v1/kv/a%00b", "/api/v1/kv/%zz", "/api/v1/kv/%", "/actuator/%00roots")) {
            RawHttp.Response r = http.send("GET", target, SoloNode.ADMIN_TOKEN);
            assertThat(r.status()).as(target).isEqualTo(400);
            problem(r, target);
            assertThat(r.body()).as(target).doesNotContain("<html").doesNotContain("Tomcat");
        }
    }

    @Test
    void firewallAuthenticationAndAuthorizationRefusalsHaveStableTypes() throws IOException {
        assertThat(problem(http.send("GET", "/api/v1/kv/a;b", null), "semicolon").path("type").asString())
                .isEqualTo(Problems.REQUEST_REJECTED);
        assertThat(problem(http.send("GET", "/api/v1/admin/backup", null), "no credentials").path("type").asString())
                .isEqualTo(Problems.UNAUTHENTICATED);
        assertThat(problem(http.send("GET", "/api/v1/admin/backup", "wrong-token-0123456789abcdef"), "wrong token")
                .path("type").asString()).isEqualTo(Problems.INVALID_CREDENTIALS);
        assertThat(problem(http.send("GET", "/no/such/path", SoloNode.ADMIN_TOKEN), "unlisted path").path("type")
                .asString()).isEqualTo(Problems.FORBIDDEN);
    }

    @Test
    void mvcErrorsBehindTheChainAreProblemsToo() throws IOException {
        RawHttp.Response missing = http.send("GET", "/api/v1/kv/never/written", SoloNode.ADMIN_TOKEN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }
}
