package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.join.JoinTokenFormat;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The join-token admin API over real HTTP: mint, list without secrets, revoke, retire the bootstrap token. */
class JoinTokensHttpTest extends SoloNodeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BASE = "/api/v1/admin/join-tokens";

    @Test
    void mintedTokensAreListedWithoutSecretsAndCanBeRevoked() throws IOException {
        RawHttp.Response minted = http.send("POST", BASE, SoloNode.ADMIN_TOKEN, "{\"ttl\":\"2h\",\"uses\":3}");
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(minted.body());
        String token = body.path("token").asString();
        String id = body.path("id").asString();
        assertThat(JoinTokenFormat.idOf(token)).contains(id);
        assertThat(body.path("maxUses").asInt()).isEqualTo(3);

        RawHttp.Response list = http.send("GET", BASE, SoloNode.ADMIN_TOKEN);
        assertThat(list.status()).isEqualTo(200);
        String secret = token.substring(token.indexOf('.') + 1);
        assertThat(list.body()).contains(id).doesNotContain(secret).doesNotContain("derivedKey").doesNotContain("salt");
        JsonNode listed = JSON.readTree(list.body()).path("tokens");
        assertThat(listed.isArray()).isTrue();

        assertThat(http.send("DELETE", BASE + "/" + id, SoloNode.ADMIN_TOKEN).status()).isEqualTo(204);
        assertThat(http.send("DELETE", BASE + "/" + id, SoloNode.ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(http.send("GET", BASE, SoloNode.ADMIN_TOKEN).body()).doesNotContain(id);
    }

    @Test
    void onlyALearnerCanBePromotedAndOnlyByAnAdmin() throws IOException {
        RawHttp.Response nobody = http.send("POST", "/api/v1/admin/members/nobody/promote", SoloNode.ADMIN_TOKEN, "{}");
        assertThat(nobody.status()).as(nobody.body()).isEqualTo(400);
        assertThat(nobody.body()).contains("not a learner");
        assertThat(http.send("POST", "/api/v1/admin/members/solo/promote", SoloNode.ADMIN_TOKEN, "{}").body())
                .contains("not a learner");
        assertThat(http.send("POST", "/api/v1/admin/members/nobody/promote", null, "{}").status()).isEqualTo(401);
    }

    @Test
    void badRequestsAreRefusedWithReasonsAndOnlyAdminsMayMint() throws IOException {
        for (String bad : List.of("{}", "{\"ttl\":\"10s\"}", "{\"ttl\":\"1000d\"}", "{\"ttl\":\"soon\"}",
                "{\"ttl\":\"1h\",\"uses\":0}", "{\"ttl\":\"1h\",\"uses\":-4}", "not json")) {
            RawHttp.Response r = http.send("POST", BASE, SoloNode.ADMIN_TOKEN, bad);
            assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"detail\"");
        }
        assertThat(http.send("DELETE", BASE + "/NOT-AN-ID", SoloNode.ADMIN_TOKEN).status()).isEqualTo(400);
        assertThat(http.send("POST", BASE, null, "{\"ttl\":\"1h\"}").status()).isEqualTo(401);
        assertThat(http.send("GET", BASE, null).status()).isEqualTo(401);
        assertThat(http.send("POST", BASE + "/bootstrap/retire", null).status()).isEqualTo(401);
    }
}
