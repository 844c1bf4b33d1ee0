package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.watch.WatchHub;
import dev.ratchet.watch.WatchSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(KvController.class)
@Import(RequestThreadWait.class)
@TestPropertySource(properties = {"ratchet.api.max-value-size=16B", "ratchet.api.max-list-limit=3",
    "ratchet.api.request-timeout=300ms"})
class KvControllerTest {

    @TestConfiguration
    @EnableConfigurationProperties(ApiProperties.class)
    static class Fixture {
        @Bean
        DirectReplicator replicator() {
            return new DirectReplicator();
        }

        @Bean(destroyMethod = "close")
        WatchHub watchHub(DirectReplicator replicator) {
            return new WatchHub(replicator.state().history(), WatchSettings.DEFAULTS, 2, System::nanoTime);
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    DirectReplicator replicator;

    private MvcTestResult put(String key, String body, String header, String value) {
        var req = mvc.put().uri("/api/v1/kv/" + key).contentType(MediaType.APPLICATION_OCTET_STREAM).content(body);
        if (header != null) {
            req = req.header(header, value);
        }
        return req.exchange();
    }

    @Test
    void writeThenReadBackWithEtag() {
        MvcTestResult written = put("app/config", "hello", null, null);
        assertThat(written).hasStatus(201).hasHeader("Location", "/api/v1/kv/app/config");
        String etag = written.getResponse().getHeader("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");

        MvcTestResult read = mvc.get().uri("/api/v1/kv/app/config").exchange();
        assertThat(read).hasStatusOk().hasHeader("ETag", etag);
        assertThat(read.getResponse().getContentAsByteArray()).isEqualTo("hello".getBytes());

        assertThat(mvc.get().uri("/api/v1/kv/app/config").header("If-None-Match", etag).exchange()).hasStatus(304);
    }

    @Test
    void aStaleReadIsAnsweredOnTheRequestThreadWithoutABarrierOrAnAsyncDispatch() {
        String etag = put("fast/k", "v1", null, null).getResponse().getHeader("ETag");
        long before = replicator.barriers.sum();
        for (String uri : List.of("/api/v1/kv/fast/k?stale=true", "/api/v1/kv?prefix=fast/&limit=3&stale=true")) {
            // asyncExchange does not wait for or perform an async dispatch: the answer must already be there.
            MvcTestResult read = mvc.get().uri(uri).asyncExchange();
            assertThat(read.getRequest().isAsyncStarted()).as(uri).isFalse();
            assertThat(read).hasStatusOk().hasHeader("X-Ratchet-Index",
                    Long.toString(replicator.state().history().head()));
        }
        assertThat(mvc.get().uri("/api/v1/kv/fast/k?stale=true").header("If-None-Match", etag).asyncExchange())
                .hasStatus(304);
        MvcTestResult missing = mvc.get().uri("/api/v1/kv/fast/none?stale=true").asyncExchange();
        assertThat(missing).hasStatus(404);
        assertThat(missing.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(replicator.barriers.sum()).isEqualTo(before);
        // A linearizable read still goes through the barrier.
        MvcTestResult linearizable = mvc.get().uri("/api/v1/kv/fast/k").asyncExchange();
        assertThat(linearizable).hasStatusOk();
        assertThat(replicator.barriers.sum()).isEqualTo(before + 1);
    }

    @Test
    void writesAndLinearizableReadsAreAnsweredOnTheRequestThreadWithoutAnAsyncDispatch() {
        // Async processing would dispatch each request a second time through the whole filter chain (issue 14).
        List<MvcTestResult> answers = List.of(
                mvc.put().uri("/api/v1/kv/sync/k").contentType(MediaType.APPLICATION_OCTET_STREAM).content("v1").asyncExchange(),
                mvc.get().uri("/api/v1/kv/sync/k").asyncExchange(),
                mvc.get().uri("/api/v1/kv/sync/none").asyncExchange(),
                mvc.delete().uri("/api/v1/kv/sync/k").header("If-Match", "\"not-it\"").asyncExchange(),
                mvc.delete().uri("/api/v1/kv/sync/k").asyncExchange());
        List<Integer> statuses = new java.util.ArrayList<>();
        for (MvcTestResult r : answers) {
            assertThat(r.getRequest().isAsyncStarted()).as(r.getRequest().getMethod() + " " + r.getRequest().getRequestURI())
                    .isFalse();
            statuses.add(r.getResponse().getStatus());
        }
        assertThat(statuses).containsExactly(201, 200, 404, 412, 204);
        // A blocking query may wait long: it still goes async rather than hold a container thread.
        MvcTestResult blocking = mvc.get().uri("/api/v1/kv/sync/k?waitRevision=1&wait=1s").asyncExchange();
        assertThat(blocking.getRequest().isAsyncStarted()).isTrue();
    }

    @Test
    void aWriteOrReadTheClusterNeverAnswersEndsAt504AfterTheRequestTimeout() {
        replicator.unanswered = true;
        try {
            MvcTestResult write = put("late", "v", null, null);
            assertThat(write).hasStatus(504);
            assertThat(write.getResponse().getContentType()).isEqualTo("application/problem+json");
            assertThat(mvc.get().uri("/api/v1/kv/late").exchange()).hasStatus(504);
            assertThat(mvc.delete().uri("/api/v1/kv/late").exchange()).hasStatus(504);
        } finally {
            replicator.unanswered = false;
        }
        assertThat(replicator.state().document("late")).isNull();
    }

    @Test
    void aFormContentTypeDoesNotSwallowTheValue() {
        // What `curl -X PUT --data-binary hello` sends.
        MvcTestResult written = mvc.put().uri("/api/v1/kv/form").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("hello=x&y").exchange();
        assertThat(written).hasStatus(201);
        assertThat(replicator.state().document("form").value()).isEqualTo("hello=x&y".getBytes());
    }

    @Test
    void compareAndSetByEtag() {
        String etag = put("cas", "1", null, null).getResponse().getHeader("ETag");
        MvcTestResult stale = put("cas", "2", "If-Match", "\"nope\"");
        assertThat(stale).hasStatus(412).hasHeader("ETag", etag);
        assertThat(stale.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(put("cas", "2", "If-Match", etag)).hasStatusOk();
        assertThat(put("cas", "3", "If-None-Match", "*")).hasStatus(412);
        assertThat(put("fresh", "3", "If-None-Match", "*")).hasStatus(201);
        assertThat(put("absent", "3", "If-Match", "*")).hasStatus(412);
    }

    @Test
    void deleteAndMissingKeys() {
        put("gone", "x", null, null);
        assertThat(mvc.delete().uri("/api/v1/kv/gone").exchange()).hasStatus(204);
        assertThat(mvc.get().uri("/api/v1/kv/gone").exchange()).hasStatus(404);
        assertThat(mvc.delete().uri("/api/v1/kv/gone").exchange()).hasStatus(404);
    }

    @Test
    void listsByPrefixInPages() {
        for (String k : new String[] {"l/a", "l/b", "l/c", "l/d", "m/a"}) {
            put(k, k, null, null);
        }
        MvcTestResult first = mvc.get().uri("/api/v1/kv?prefix=l/&limit=3").exchange();
        assertThat(first).hasStatusOk().bodyJson().extractingPath("$.items[*].key").asArray()
                .containsExactly("l/a", "l/b", "l/c");
        assertThat(first).bodyJson().extractingPath("$.next").isEqualTo("l/c");
        assertThat(mvc.get().uri("/api/v1/kv?prefix=l/&limit=3&after=l/c").exchange()).bodyJson()
                .extractingPath("$.items[*].key").asArray().containsExactly("l/d");
        assertThat(mvc.get().uri("/api/v1/kv?limit=4").exchange()).hasStatus(400);
        assertThat(mvc.get().uri("/api/v1/kv?limit=abc").exchange()).hasStatus(400);
    }

    @Test
    void badInputGetsClearErrorsAndChangesNothing() throws Exception {
        assertThat(put("big", "x".repeat(17), null, null)).hasStatus(413);
        assertThat(mvc.get().uri("/api/v1/kv/big").exchange()).hasStatus(404);
        // A literal "a/../b" is normalised away by every HTTP stack before it reaches us; the encoded
        // form is not, and must be refused once decoded.
        assertThat(mvc.put().uri(java.net.URI.create("/api/v1/kv/a/%2E%2E/b")).content("x").exchange()).hasStatus(400);
        assertThat(mvc.put().uri(java.net.URI.create("/api/v1/kv/a%00b")).content("x").exchange()).hasStatus(400);
        assertThat(put("k" + "x".repeat(1100), "x", null, null)).hasStatus(400);
        assertThat(put("weak", "x", "If-Match", "W/\"abc\"")).hasStatus(400);
        assertThat(put("unquoted", "x", "If-Match", "abc")).hasStatus(400);
        assertThat(put("quoted-star", "x", "If-Match", "\"*\"")).hasStatus(400);
        assertThat(put("inm", "x", "If-None-Match", "\"abc\"")).hasStatus(400);
        // Query parameters read without Spring's converters still refuse what those refused, as problems.
        MvcTestResult badLease = mvc.put().uri("/api/v1/kv/badlease?lease=abc").content("x").exchange();
        assertThat(badLease).hasStatus(400);
        assertThat(badLease.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(badLease.getResponse().getContentAsString()).contains("urn:ratchet:problem:bad-parameter")
                .contains("parameter 'lease' has an invalid value");
        MvcTestResult badStale = mvc.get().uri("/api/v1/kv/big?stale=maybe").exchange();
        assertThat(badStale).hasStatus(400);
        assertThat(badStale.getResponse().getContentAsString()).contains("urn:ratchet:problem:bad-parameter");
        for (String refused : new String[] {"big", "weak", "unquoted", "quoted-star", "inm", "badlease"}) {
            assertThat(replicator.state().document(refused)).as(refused).isNull();
        }
    }

    @Test
    void noLeaderIsA503WithRetryAfter() {
        replicator.leaderless = true;
        try {
            MvcTestResult r = put("k", "v", null, null);
            assertThat(r).hasStatus(503).hasHeader("Retry-After", "1");
            assertThat(mvc.get().uri("/api/v1/kv/k").exchange()).hasStatus(503);
            assertThat(mvc.get().uri("/api/v1/kv/k?stale=true").exchange()).hasStatus(404);
        } finally {
            replicator.leaderless = false;
        }
    }
}
