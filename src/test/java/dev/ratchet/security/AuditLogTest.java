package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The audit logger {@code ratchet.audit} on a real node: one line per admin request, allowed or refused. */
class AuditLogTest extends SoloNodeTest {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        ((Logger) LoggerFactory.getLogger("ratchet.audit")).addAppender(captured);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger("ratchet.audit")).detachAppender(captured);
    }

    private List<String> lines() {
        synchronized (captured) {
            return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Test
    void anAllowedTokenActionNamesThePrincipalTheActionAndTheResult() throws Exception {
        RawHttp.Response created = http.send("POST", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN,
                "{\"name\":\"audited\",\"grants\":[\"kv:read:app/\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lines()).anySatisfy(l ->
                assertThat(l).startsWith("who=admin-token what=\"POST /api/v1/admin/tokens\" result=allowed status=201")));
        // The token itself is in the answer, never in the audit line.
        assertThat(lines()).noneMatch(l -> l.contains(SoloNode.ADMIN_TOKEN));
    }

    @Test
    void refusedAdminRequestsAreAuditedWithTheirStatus() throws Exception {
        assertThat(http.send("GET", "/api/v1/admin/tokens", null).status()).isEqualTo(401);
        // A credential that does not verify is refused by CredentialFilter, before any principal exists.
        int badToken = http.send("GET", "/api/v1/admin/tokens", "not-a-valid-token-0123456789").status();
        assertThat(badToken).isIn(401, 403);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lines())
                .anySatisfy(l -> assertThat(l).startsWith("who=anonymous what=\"GET /api/v1/admin/tokens\" result=refused status=401"))
                .anySatisfy(l -> assertThat(l).startsWith(
                        "who=unauthenticated what=\"GET /api/v1/admin/tokens\" result=refused status=" + badToken)));
    }

    @Test
    void aPrincipalWithoutTheAdminGrantIsAuditedByNameWhenRefused() throws Exception {
        RawHttp.Response created = http.send("POST", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN,
                "{\"name\":\"reader\",\"grants\":[\"kv:read:app/\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                .path("token").asString();
        RawHttp.Response refused = http.send("DELETE", "/api/v1/admin/tokens/whatever", token);
        assertThat(refused.status()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lines()).anySatisfy(l -> assertThat(l)
                .matches("who=token:\\S+ what=\"DELETE /api/v1/admin/tokens/whatever\" result=refused status=403 from=127\\.0\\.0\\.1")));
        assertThat(lines()).noneMatch(l -> l.contains(token));
    }

    @Test
    void probesAndDataPlaneRequestsAreNotAudited() throws Exception {
        http.send("GET", "/actuator/health/readiness", null);
        http.send("GET", "/api/v1/kv/x", SoloNode.ADMIN_TOKEN);
        http.send("GET", "/actuator/consensus", SoloNode.ADMIN_TOKEN);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lines())
                .anySatisfy(l -> assertThat(l).contains("what=\"GET /actuator/consensus\" result=allowed")));
        assertThat(lines()).noneMatch(l -> l.contains("/health") || l.contains("/api/v1/kv"));
    }
}
