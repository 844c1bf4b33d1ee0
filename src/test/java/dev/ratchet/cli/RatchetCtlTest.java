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

    /** Runs ratchetctl with no environment and no endpoint: for commands that send nothing. */
    private static Run offline(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RatchetCtl.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of());
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

    @Test
    void rootsSnapshotLeaderAndPromote() {
        Run before = ctl("roots", "list", "-o", "json");
        assertThat(before.code()).as(before.err()).isZero();
        Run rotated = ctl("roots", "rotate", "-o", "json");
        assertThat(rotated.code()).as(rotated.err()).isZero();
        assertThat(json(rotated).path("roots").size()).isEqualTo(json(before).size() + 1);
        Run after = ctl("roots", "list");
        assertThat(after.out()).startsWith("SERIAL").contains(json(before).get(0).path("sha256Fingerprint").asString());
        assertThat(after.out().lines().count()).isEqualTo(json(rotated).path("roots").size() + 1L);

        Run snap = ctl("snapshot");
        assertThat(snap.code()).as(snap.err()).isZero();
        assertThat(snap.out()).matches("(?s)snapshot of solo at index [1-9][0-9]*\\R");

        // A single voter has no one to hand leadership to: the server's problem, exit 1.
        Run transfer = ctl("leader", "transfer", "--to", "nobody");
        assertThat(transfer.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(transfer.err()).startsWith("error: ");
        Run promote = ctl("members", "promote", "nobody");
        assertThat(promote.code()).isNotZero();
        assertThat(promote.err()).startsWith("error: ");
        assertThat(ctl("leader").code()).isEqualTo(RatchetCtl.USAGE);
    }

    @Test
    void joinTokensCreateListRevokeAndRetireBootstrap() {
        Run created = ctl("join-tokens", "create", "--ttl", "1h", "--uses", "2");
        assertThat(created.code()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).isNotBlank().doesNotContain("\n");
        String id = created.err().split(" ")[2];
        Run listed = ctl("join-tokens", "list");
        assertThat(listed.out()).contains("bootstrap token accepted").containsPattern(id + ".*0/2").doesNotContain(token);
        assertThat(ctl("join-tokens", "revoke", id).code()).isZero();
        assertThat(ctl("join-tokens", "revoke", id).code()).isEqualTo(RatchetCtl.NOT_FOUND);
        assertThat(ctl("join-tokens", "list", "-o", "json").out()).doesNotContain(id);
        Run badTtl = ctl("join-tokens", "create", "--ttl", "soon");
        assertThat(badTtl.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(badTtl.err()).contains("400", "soon");

        Run retired = ctl("join-tokens", "retire-bootstrap", "-o", "json");
        assertThat(retired.code()).as(retired.err()).isZero();
        assertThat(json(retired).path("bootstrapRetired").asBoolean()).isTrue();
        assertThat(ctl("join-tokens", "list").out()).contains("bootstrap token retired");
    }

    @Test
    void restoreChecksTheBackupOfflineAndPrintsTheStartCommand() throws IOException {
        ctl("kv", "put", "restore/k", "v");
        Path backup = tmp.resolve("for-restore.bin");
        assertThat(ctl("backup", "--out", backup.toString()).code()).isZero();
        Path empty = tmp.resolve("new-node");
        Run ok = offline("restore", backup.toString(), "--data-dir", empty.toString(), "-o", "json");
        assertThat(ok.code()).as(ok.err()).isEqualTo(RatchetCtl.OK);
        assertThat(json(ok).path("appliedIndex").asLong()).isPositive();
        assertThat(json(ok).path("command").asString()).contains("--ratchet.bootstrap=true",
                "--ratchet.admin.restore-from=" + backup.toAbsolutePath(), "--ratchet.data-dir=" + empty.toAbsolutePath());

        Path garbage = Files.write(tmp.resolve("garbage.bin"), new byte[] {1, 2, 3, 4, 5});
        Run bad = offline("restore", garbage.toString(), "--data-dir", empty.toString());
        assertThat(bad.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(bad.err()).contains("is not a Ratchet backup");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("old"), "x");
        Run nonEmpty = offline("restore", backup.toString(), "--data-dir", empty.toString());
        assertThat(nonEmpty.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(nonEmpty.err()).contains("is not empty");
        assertThat(offline("restore", tmp.resolve("missing.bin").toString()).err()).contains("no such file");
    }
}
