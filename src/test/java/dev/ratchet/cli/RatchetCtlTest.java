package dev.ratchet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.testsupport.SoloNodeProperties;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * ratchetctl run in this JVM against a real single-node cluster behind real Tomcat: every command does
 * what it says, errors print the server's problem and exit with the documented code, and a dead
 * endpoint in front of the list is skipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RatchetCtlTest {

    static final String ADMIN = "ratchetctl-test-admin-token-0123456789";

    @LocalServerPort
    int port;

    @TempDir
    Path tmp;

    /** A loopback port nothing listens on: connections to it are refused. */
    private int deadPort;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        SoloNodeProperties.register(registry, ADMIN);
    }

    @BeforeAll
    void awaitReady() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    record Run(int code, String out, String err) {
    }

    /** Runs ratchetctl with the admin token in RATCHET_TOKEN and a dead endpoint before the live one. */
    private Run ctl(String... args) {
        return ctlWith(Map.of("RATCHET_TOKEN", ADMIN), args);
    }

    private Run ctlWith(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.startsWith("--endpoints"))) {
            all.add("--endpoints=http://127.0.0.1:" + deadPort + "," + url());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RatchetCtl.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), env);
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode json(Run r) {
        return ApiClient.JSON.readTree(r.out());
    }

    @Test
    void keysRoundTripThroughADeadFirstEndpoint() {
        Run put = ctl("kv", "put", "cli/a", "hello");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).startsWith("created cli/a etag ");
        assertThat(ctl("kv", "put", "cli/a", "again").out()).startsWith("replaced cli/a");
        assertThat(ctl("kv", "put", "cli/b", "two").code()).isZero();

        Run get = ctl("kv", "get", "cli/a");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualTo("again" + System.lineSeparator());
        JsonNode asJson = json(ctl("kv", "get", "cli/a", "-o", "json"));
        assertThat(asJson.path("value").asString()).isEqualTo("YWdhaW4="); // base64 of "again"

        Run list = ctl("kv", "list", "cli/", "-o", "json");
        assertThat(list.code()).isZero();
        assertThat(json(list).findValuesAsString("key")).containsExactly("cli/a", "cli/b");
        assertThat(ctl("kv", "list", "cli/").out()).contains("KEY", "cli/a", "cli/b");

        assertThat(ctl("kv", "del", "cli/b").code()).isZero();
        Run missing = ctl("kv", "get", "cli/b");
        assertThat(missing.code()).isEqualTo(RatchetCtl.NOT_FOUND);
        assertThat(missing.err()).contains("404", "urn:ratchet:problem:not-found", "cli/b");
    }

    @Test
    void failedPreconditionAndBadCredentialsPrintTheProblemAndExitNonZero() {
        assertThat(ctl("kv", "put", "cas/k", "1", "--if-absent").code()).isZero();
        Run again = ctl("kv", "put", "cas/k", "2", "--if-absent");
        assertThat(again.code()).isEqualTo(RatchetCtl.PRECONDITION_FAILED);
        assertThat(again.err()).contains("412", "urn:ratchet:problem:precondition-failed");
        String etag = json(ctl("kv", "get", "cas/k", "-o", "json")).path("etag").asString();
        assertThat(ctl("kv", "put", "cas/k", "3", "--if-match", etag).code()).isZero();

        Run anonymous = ctlWith(Map.of(), "kv", "get", "cas/k");
        assertThat(anonymous.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(anonymous.err()).contains("401", "urn:ratchet:problem:unauthenticated");
        Run wrong = ctlWith(Map.of(), "kv", "get", "cas/k", "--token", "rat_nope.nope");
        assertThat(wrong.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(wrong.err()).contains("403");
    }

    @Test
    void unreachableEndpointsAndBadUsageHaveTheirOwnExitCodes() {
        Run down = ctl("kv", "get", "x", "--endpoints", "http://127.0.0.1:" + deadPort);
        assertThat(down.code()).isEqualTo(RatchetCtl.UNREACHABLE);
        assertThat(down.err()).contains("no endpoint could be reached", Integer.toString(deadPort));
        assertThat(ctl("kv", "get").code()).isEqualTo(RatchetCtl.USAGE);
        Run badUrl = ctl("kv", "get", "x", "--endpoints", "ftp://127.0.0.1:1");
        assertThat(badUrl.code()).isEqualTo(RatchetCtl.USAGE);
        assertThat(badUrl.err()).contains("ftp://127.0.0.1:1");
        assertThat(ctl("lease", "grant", "ten").code()).isEqualTo(RatchetCtl.USAGE);
    }

    @Test
    void transactionFromAFile() throws IOException {
        ctl("kv", "put", "txn/a", "1");
        Path file = tmp.resolve("txn.json");
        Files.writeString(file, """
                {"compare":[{"key":"txn/a","exists":true}],
                 "success":[{"put":{"key":"txn/b","value":"Yg=="}}],
                 "failure":[]}
                """);
        Run r = ctl("txn", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("SUCCESS at revision ").contains("put txn/b etag ");
        assertThat(ctl("kv", "get", "txn/b").out()).startsWith("b");
        Files.writeString(file, "{not json");
        assertThat(ctl("txn", file.toString()).code()).isEqualTo(RatchetCtl.USAGE);
    }

    @Test
    void watchPrintsEachChangeInOrderAndStopsAfterCount() throws Exception {
        long from = json(ctl("kv", "put", "w/start", "0", "-o", "json")).path("revision").asLong() + 1;
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(
                () -> ctl("kv", "watch", "w/", "--from-revision", Long.toString(from), "--count", "3"));
        ctl("kv", "put", "w/x", "one");
        ctl("kv", "put", "other/y", "not watched");
        ctl("kv", "put", "w/x", "two");
        ctl("kv", "del", "w/x");
        Run r = watch.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("\\d+ put w/x one");
        assertThat(lines.get(1)).matches("\\d+ put w/x two");
        assertThat(lines.get(2)).matches("\\d+ delete w/x");
        long r0 = Long.parseLong(lines.get(0).split(" ")[0]);
        long r2 = Long.parseLong(lines.get(2).split(" ")[0]);
        assertThat(r0).isEqualTo(from);
        assertThat(r2).isGreaterThan(r0);
    }

    @Test
    void leaseGrantKeepAliveAndRevokeDeletesItsKeys() {
        JsonNode granted = json(ctl("lease", "grant", "30s", "-o", "json"));
        String id = Long.toString(granted.path("id").asLong());
        assertThat(ctl("kv", "put", "lease/k", "v", "--lease", id).code()).isZero();
        Run keep = ctl("lease", "keepalive", id, "--every", "10ms", "--count", "2");
        assertThat(keep.code()).as(keep.err()).isZero();
        assertThat(keep.out().lines()).hasSize(2).allMatch(l -> l.startsWith("lease " + id + " kept alive"));
        assertThat(ctl("lease", "list").out()).contains(id);
        Run revoke = ctl("lease", "revoke", id);
        assertThat(revoke.out()).contains("1 key(s) deleted");
        assertThat(ctl("kv", "get", "lease/k").code()).isEqualTo(RatchetCtl.NOT_FOUND);
        assertThat(ctl("lease", "keepalive", id).code()).isEqualTo(RatchetCtl.NOT_FOUND);
    }

    @Test
    void artifactsUploadAndDownloadByteForByte() throws IOException {
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Path in = tmp.resolve("in.bin");
        Files.write(in, content);
        Run put = ctl("artifacts", "put", "builds/x.bin", in.toString());
        assertThat(put.code()).as(put.err()).isZero();
        Path out = tmp.resolve("out.bin");
        Run get = ctl("artifacts", "get", "builds/x.bin", "--out", out.toString());
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(ctl("artifacts", "list", "builds/").out()).contains("builds/x.bin", "300000");
        assertThat(ctl("artifacts", "del", "builds/x.bin").code()).isZero();
        assertThat(ctl("artifacts", "get", "builds/x.bin", "--out", out.toString()).code()).isEqualTo(RatchetCtl.NOT_FOUND);
    }

    @Test
    void tokensMembersStatusAndBackup() throws IOException {
        Run created = ctl("tokens", "create", "reader", "--grant", "kv:read:pub/");
        assertThat(created.code()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("rat_");
        ctl("kv", "put", "pub/k", "v");
        assertThat(ctlWith(Map.of("RATCHET_TOKEN", token), "kv", "get", "pub/k").code()).isZero();
        Run forbidden = ctlWith(Map.of("RATCHET_TOKEN", token), "kv", "put", "pub/k", "w");
        assertThat(forbidden.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(forbidden.err()).contains("403", "urn:ratchet:problem:forbidden");
        String id = token.substring("rat_".length(), token.indexOf('.'));
        assertThat(ctl("tokens", "list").out()).contains(id, "reader", "kv:read:pub/");
        assertThat(ctl("tokens", "revoke", id).code()).isZero();
        assertThat(ctlWith(Map.of("RATCHET_TOKEN", token), "kv", "get", "pub/k").code()).isEqualTo(RatchetCtl.FAILED);

        assertThat(ctl("members", "list").out()).containsPattern("solo\\s+leader");
        assertThat(ctl("status").out()).contains("node solo is LEADER");
        Run removeUnknown = ctl("members", "remove", "nobody");
        assertThat(removeUnknown.code()).isNotZero();
        assertThat(removeUnknown.err()).startsWith("error: ");

        Path backup = tmp.resolve("backup.bin");
        Run b = ctl("backup", "--out", backup.toString(), "-o", "json");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.size(backup)).isPositive().isEqualTo(json(b).path("bytes").asLong());
    }
}
