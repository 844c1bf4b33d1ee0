package dev.ratchet.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ratchetctl kv watch [PREFIX]}: prints every change under a prefix as it happens, one line per
 * change (text: revision, type, key, value), or the server's JSON per revision with {@code -o json}.
 * When the stream breaks or the server ends it, it resumes from the last revision seen on the next
 * endpoint that answers, so no change is printed twice or skipped. Blocks until {@code --count}
 * revisions were printed, or until interrupted.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Print changes under a prefix as they happen.")
final class WatchCommand extends ApiCommand {
    @Parameters(arity = "0..1", paramLabel = "PREFIX", defaultValue = "")
    String prefix;
    @Option(names = "--from-revision", paramLabel = "N", description = "start at revision N (default: from now)")
    long fromRevision;
    @Option(names = "--count", paramLabel = "N", description = "stop after N revisions with changes (default: never)")
    long count;

    @Override
    public Integer call() throws Exception {
        ApiClient client = conn.client();
        long seen = 0;
        long next = fromRevision;
        while (count == 0 || seen < count) {
            String path = "/api/v1/watch?prefix=" + Urls.component(prefix) + (next > 0 ? "&fromRevision=" + next : "");
            HttpResponse<InputStream> r = client.stream(new ApiClient.Call("GET", path,
                    Map.of("Accept", "text/event-stream"), null, true));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((count == 0 || seen < count) && (line = in.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                    } else if (line.isEmpty() && event != null) {
                        JsonNode body = ApiClient.JSON.readTree(data.toString());
                        if (event.equals("change")) {
                            printChange(body);
                            seen++;
                            next = body.path("revision").asLong() + 1;
                        } else if (event.equals("progress")) {
                            next = Math.max(next, body.path("revision").asLong() + 1);
                        } else if (event.equals("cancelled")) {
                            long resume = body.path("resumeFrom").asLong();
                            if (body.path("reason").asString().equals("compacted")) {
                                throw new IllegalStateException("watch cancelled: " + body.path("detail").asString());
                            }
                            next = resume > 0 ? resume : next;
                        }
                        event = null;
                        data.setLength(0);
                    }
                }
            } catch (java.io.IOException broken) {
                // The stream broke (node stopped, connection reset): resume from the next revision, on the
                // same endpoint or, if it no longer accepts connections, the next one.
                err().println("watch stream broke (" + broken.getMessage() + "); resuming at revision " + next);
            }
        }
        return RatchetCtl.OK;
    }

    /** One revision's changes, flushed at once so a pipe sees each as it happens. */
    private void printChange(JsonNode changes) {
        print(changes, out -> {
            long revision = changes.path("revision").asLong();
            for (JsonNode e : changes.path("events")) {
                String value = e.path("value").isMissingNode() ? ""
                        : " " + new String(Base64.getDecoder().decode(e.path("value").asString()), StandardCharsets.UTF_8);
                out.printf("%d %s %s%s%n", revision, e.path("type").asString(), e.path("key").asString(), value);
            }
        });
        out().flush();
    }
}
