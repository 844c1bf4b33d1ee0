package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.join.JoinClient;
import dev.ratchet.join.JoinCredential;
import dev.ratchet.join.JoinProtocol;
import dev.ratchet.state.Member;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Joins that can be revoked, against a real single-node cluster (its own, since joiners become learners
 * of it) through the real join client: a minted token's uses are counted by the leader, a revoked one
 * admits no one, a sniffed request cannot be replayed, and a retired bootstrap token stops admitting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocableJoinsHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOOTSTRAP = "security-test-join-token-0123456789";

    @LocalServerPort
    int port;

    private RawHttp http;
    private final SecureRandom random = new SecureRandom();

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        SoloNode.properties(registry);
    }

    @BeforeAll
    void awaitReady() {
        http = new RawHttp(port);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> http.send("GET", "/actuator/health/readiness", null).status() == 200);
    }

    private Member joiner(String id) {
        return new Member(id, "127.0.0.1:" + (20000 + Math.abs(id.hashCode() % 1000)), "http://127.0.0.1:9");
    }

    private JoinProtocol.JoinGrant join(String token, String id) throws Exception {
        return new JoinClient(new JoinCredential(token, random)).join(joiner(id), "", List.of(URI.create("http://127.0.0.1:" + port)),
                Duration.ofSeconds(30), false);
    }

    private String mint(String body) throws IOException {
        RawHttp.Response r = http.send("POST", "/api/v1/admin/join-tokens", SoloNode.ADMIN_TOKEN, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("token").asString();
    }

    @Test
    void aMintedTokenAdmitsAsOftenAsItsUsesAllowThenNoOne() throws Exception {
        String token = mint("{\"ttl\":\"1h\",\"uses\":1}");
        assertThat(join(token, "minted-1").serializedRoots()).isNotEmpty();
        assertThatThrownBy(() -> join(token, "minted-2")).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("no uses left");
        JsonNode listed = JSON.readTree(http.send("GET", "/api/v1/admin/join-tokens", SoloNode.ADMIN_TOKEN).body());
        String id = token.substring(4, 16);
        JsonNode record = null;
        for (JsonNode t : listed.path("tokens")) {
            if (t.path("id").asString().equals(id)) {
                record = t;
            }
        }
        assertThat(record).isNotNull();
        assertThat(record.path("used").asInt()).isEqualTo(1);
    }

    @Test
    void aRevokedTokenAdmitsNoOne() throws Exception {
        String token = mint("{\"ttl\":\"1h\"}");
        assertThat(http.send("DELETE", "/api/v1/admin/join-tokens/" + token.substring(4, 16), SoloNode.ADMIN_TOKEN).status())
                .isEqualTo(204);
        assertThatThrownBy(() -> join(token, "revoked-1")).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void aSniffedJoinRequestCannotBeReplayed() throws Exception {
        String token = mint("{\"ttl\":\"1h\"}");
        JoinCredential credential = new JoinCredential(token, random);
        RawHttp.Response c = http.send("POST", "/api/v1/cluster/join/challenge", null,
                JSON.writeValueAsString(credential.challengeRequest()));
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        JoinCredential.Answer answer = credential.answer(JSON.readValue(c.body(), JoinProtocol.Challenge.class),
                joiner("sniffed-1"), "", false);
        String body = JSON.writeValueAsString(answer.request());
        RawHttp.Response first = http.send("POST", "/api/v1/cluster/join", null, body);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        answer.open(JSON.readValue(first.body(), JoinProtocol.JoinResponse.class));
        RawHttp.Response replay = http.send("POST", "/api/v1/cluster/join", null, body);
        assertThat(replay.status()).isEqualTo(403);
        assertThat(replay.contentType()).startsWith("application/problem+json");
        assertThat(replay.body()).contains("unknown, used or expired").doesNotContain("BEGIN");
    }

    @Test
    void aRetiredBootstrapTokenStopsAdmittingWhileMintedOnesStillDo() throws Exception {
        assertThat(join(BOOTSTRAP, "bootstrap-1").serializedRoots()).isNotEmpty();
        RawHttp.Response retire = http.send("POST", "/api/v1/admin/join-tokens/bootstrap/retire", SoloNode.ADMIN_TOKEN, "{}");
        assertThat(retire.status()).as(retire.body()).isEqualTo(200);
        assertThatThrownBy(() -> join(BOOTSTRAP, "bootstrap-2")).isInstanceOf(JoinProtocol.JoinRefusedException.class)
                .hasMessageContaining("retired");
        assertThat(JSON.readTree(http.send("GET", "/api/v1/admin/join-tokens", SoloNode.ADMIN_TOKEN).body())
                .path("bootstrapRetired").asBoolean()).isTrue();
        assertThat(join(mint("{\"ttl\":\"1h\"}"), "after-retire-1").serializedRoots()).isNotEmpty();
    }
}
