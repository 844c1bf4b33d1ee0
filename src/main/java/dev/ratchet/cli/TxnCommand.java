package dev.ratchet.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ratchetctl txn FILE}: sends the transaction in FILE ({@code -}: standard input; the body of
 * {@code POST /api/v1/txn}) and prints which branch ran. Exit code 0 whichever branch ran (as etcdctl);
 * scripts read {@code succeeded} from {@code -o json}.
 */
@Command(name = "txn", mixinStandardHelpOptions = true,
        description = "Run a transaction from a JSON file: {\"compare\":[...],\"success\":[...],\"failure\":[...]}.")
final class TxnCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Connection conn;
    @Parameters(paramLabel = "FILE", description = "the transaction as JSON ('-': standard input)")
    String file;

    @Override
    public Integer call() throws Exception {
        byte[] raw = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        String body = new String(raw, StandardCharsets.UTF_8);
        try {
            ApiClient.JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage());
        }
        JsonNode r = conn.client().json(ApiClient.Call.json("POST", "/api/v1/txn", body));
        if (conn.json()) {
            spec.commandLine().getOut().println(ApiClient.JSON.writeValueAsString(r));
            return RatchetCtl.OK;
        }
        spec.commandLine().getOut().printf("%s at revision %d%n", r.path("succeeded").asBoolean() ? "SUCCESS" : "FAILURE",
                r.path("revision").asLong());
        for (JsonNode op : r.path("results")) {
            spec.commandLine().getOut().printf("%s %s%s%n", op.path("op").asString(), op.path("key").asString(),
                    op.has("etag") && !op.path("etag").isNull() ? " etag " + op.path("etag").asString() : "");
        }
        return RatchetCtl.OK;
    }
}
