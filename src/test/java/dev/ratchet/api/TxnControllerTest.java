package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.state.Command;
import dev.ratchet.state.Document;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

@WebMvcTest(TxnController.class)
@Import(RequestThreadWait.class)
@TestPropertySource(properties = "ratchet.api.max-value-size=32B")
class TxnControllerTest {

    @TestConfiguration
    @EnableConfigurationProperties(ApiProperties.class)
    static class Fixture {
        @Bean
        DirectReplicator replicator() {
            return new DirectReplicator();
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    DirectReplicator replicator;

    private MvcTestResult txn(String json) {
        return mvc.post().uri("/api/v1/txn").contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }

    private void seed(String key, String value) {
        replicator.submit(new Command.PutKey(key, value.getBytes(), null, false)).join();
    }

    @Test
    void aTransactionIsAnsweredOnTheRequestThreadWithoutAnAsyncDispatch() {
        MvcTestResult r = mvc.post().uri("/api/v1/txn").contentType(MediaType.APPLICATION_JSON)
                .content("{\"success\":[{\"put\":{\"key\":\"t\",\"value\":\"%s\"}}]}".formatted(b64("v")))
                .asyncExchange();
        assertThat(r.getRequest().isAsyncStarted()).isFalse();
        assertThat(r).hasStatusOk();
        assertThat(replicator.state().document("t").value()).isEqualTo("v".getBytes());
    }

    @Test
    void successBranchRunsWhenEveryCompareHoldsAndNamesNewEtags() {
        seed("a", "1");
        Document a = replicator.state().document("a");
        MvcTestResult r = txn("""
                {"compare":[{"key":"a","etag":"%s"},{"key":"a","revision":%d},{"key":"c","exists":false}],
                 "success":[{"put":{"key":"x","value":"%s"}},{"delete":{"key":"a"}}],
                 "failure":[{"put":{"key":"y","value":"%s"}}]}
                """.formatted(a.etag(), a.modRevision(), b64("new"), b64("no")));
        assertThat(r).hasStatusOk().bodyJson().extractingPath("$.succeeded").isEqualTo(true);
        Document x = replicator.state().document("x");
        assertThat(x.value()).isEqualTo("new".getBytes());
        assertThat(r).bodyJson().extractingPath("$.results[0].etag").isEqualTo(x.etag());
        assertThat(r).bodyJson().extractingPath("$.results[0].revision").isEqualTo((int) x.modRevision());
        assertThat(r).bodyJson().extractingPath("$.results[1].deleted").isEqualTo(1);
        assertThat(replicator.state().document("a")).isNull();
        assertThat(replicator.state().document("y")).isNull();
    }

    @Test
    void failureBranchRunsWhenACompareFails() {
        seed("f/a", "1");
        MvcTestResult r = txn("""
                {"compare":[{"key":"f/a","etag":"\\"stale\\""}],
                 "success":[{"put":{"key":"f/x","value":"%s"}}],
                 "failure":[{"put":{"key":"f/y","value":"%s"}}]}
                """.formatted(b64("yes"), b64("no")));
        assertThat(r).hasStatusOk().bodyJson().extractingPath("$.succeeded").isEqualTo(false);
        assertThat(replicator.state().document("f/x")).isNull();
        assertThat(replicator.state().document("f/y").value()).isEqualTo("no".getBytes());
    }

    @Test
    void malformedBodiesAreRefusedWithAProblemAndChangeNothing() {
        seed("keep", "1");
        long before = replicator.state().appliedIndex();
        String[] bad = {
            "not json",
            "",
            "{\"sucess\":[]}",
            "{\"compare\":[{\"key\":\"a\"}]}",
            "{\"compare\":[{\"key\":\"a\",\"etag\":\"x\",\"exists\":true}]}",
            "{\"compare\":[{\"key\":\"/bad//key\",\"exists\":true}]}",
            "{\"compare\":[{\"key\":\"a\",\"revision\":-1}]}",
            "{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"***\"}}]}",
            "{\"success\":[{\"put\":{\"key\":\"a\"}}]}",
            "{\"success\":[{\"delete\":{\"key\":\"a\"},\"put\":{\"key\":\"b\",\"value\":\"\"}}]}",
            "{\"success\":[{\"delete\":{\"key\":\"a\"}},{\"delete\":{\"key\":\"a\"}}]}",
            "{\"success\":[{}]}",
        };
        for (String body : bad) {
            MvcTestResult r = txn(body);
            assertThat(r).as(body).hasStatus(400);
            assertThat(r.getResponse().getContentType()).as(body).isEqualTo("application/problem+json");
            assertThat(r).bodyJson().extractingPath("$.type").isEqualTo("urn:ratchet:problem:bad-request");
        }
        assertThat(replicator.state().appliedIndex()).isEqualTo(before);
    }

    @Test
    void everyProblemTypeTheApiNamesIsDocumented() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("docs/problems.md"));
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/java/dev/ratchet/api/ApiErrors.java"));
        java.util.regex.Matcher titles = java.util.regex.Pattern.compile("problem\\(HttpStatus\\.[A-Z_]+,\\s*\"([^\"]+)\"")
                .matcher(source);
        int found = 0;
        while (titles.find()) {
            found++;
            String type = ApiErrors.TYPE_PREFIX + titles.group(1).toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
            assertThat(docs).as("docs/problems.md documents " + type).contains("`" + type + "`");
        }
        assertThat(found).isGreaterThan(10);
    }

    @Test
    void moreThan64ComparesIsRefused() {
        String compares = IntStream.range(0, 65).mapToObj(i -> "{\"key\":\"k" + i + "\",\"exists\":false}")
                .collect(Collectors.joining(","));
        MvcTestResult r = txn("{\"compare\":[" + compares + "]}");
        assertThat(r).hasStatus(400).bodyJson().extractingPath("$.detail").asString().contains("at most 64");
    }

    @Test
    void valuesOverTheLimitAre413AndAnOversizedBodyIsNotParsed() {
        String big = b64("x".repeat(20));
        assertThat(txn("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"" + big + "\"}},"
                + "{\"put\":{\"key\":\"b\",\"value\":\"" + big + "\"}}]}")).hasStatus(413);
        String huge = "{\"success\":[],\"pad\":\"" + "y".repeat((int) TxnController.BODY_OVERHEAD_BYTES + 100) + "\"}";
        assertThat(txn(huge)).hasStatus(413);
    }

    @Test
    void aPutToAMissingLeaseIs404AndWritesNothing() {
        MvcTestResult r = txn("{\"success\":[{\"put\":{\"key\":\"l/a\",\"value\":\"\"}},"
                + "{\"put\":{\"key\":\"l/b\",\"value\":\"\",\"lease\":99}}]}");
        assertThat(r).hasStatus(404);
        assertThat(replicator.state().document("l/a")).isNull();
    }

    @Test
    void noLeaderIs503() {
        replicator.leaderless = true;
        try {
            assertThat(txn("{\"success\":[{\"delete\":{\"key\":\"a\"}}]}")).hasStatus(503);
        } finally {
            replicator.leaderless = false;
        }
    }
}
