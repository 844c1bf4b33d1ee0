package dev.ratchet.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ratchetctl txn FILE}: sends the transaction in FILE ({@code -}: standard input; the body of
 * {@code POST /api/v1/txn}) and prints which branch ran. Exit code 0 whichever branch ran (as etcdctl);
 * scripts read {@code succeeded} from {@code -o json}.
 */
@Command(name = "txn", mixinStandardHelpOptions = true,
        description = "Run a transaction from a JSON file: {\"compare\":[...],\"success\":[...],\"failure\":[...]}.")
final class TxnCommand extends ApiCommand {
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
        return print(r, out -> {
            out.printf("%s at revision %d%n", r.path("succeeded").asBoolean() ? "SUCCESS" : "FAILURE",
                    r.path("revision").asLong());
            for (JsonNode op : r.path("results")) {
                out.printf("%s %s%s%n", op.path("op").asString(), op.path("key").asString(),
                        op.has("etag") && !op.path("etag").isNull() ? " etag " + op.path("etag").asString() : "");
            }
        });
    }
}
