package dev.ratchet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * endpoint that answers, so no change is printed twice or skipped; while the cluster elects a new leader
 * (503) or a node restarts, it retries for up to {@code --timeout}. Blocks until {@code --count}
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
        Duration retryFor = Durations.parse("--timeout", conn.timeout);
        boolean opened = false;
        while (count == 0 || seen < count) {
            String path = "/api/v1/watch?prefix=" + Urls.component(prefix) + (next > 0 ? "&fromRevision=" + next : "");
            HttpResponse<InputStream> r = opened ? reopen(client, path, retryFor) : open(client, path);
            opened = true;
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
            } catch (IOException broken) {
                // The stream broke (node stopped, connection reset): resume from the next revision, on the
                // same endpoint or, if it no longer accepts connections, the next one.
                err().println("watch stream broke (" + broken.getMessage() + "); resuming at revision " + next);
            }
        }
        return RatchetCtl.OK;
    }

    private static HttpResponse<InputStream> open(ApiClient client, String path) throws IOException, InterruptedException {
        return client.stream(new ApiClient.Call("GET", path, Map.of("Accept", "text/event-stream"), null, true));
    }

    /**
     * Opens the watch again after its stream broke. Losing a node is what breaks a stream, and the other
     * nodes then answer 503 (no leader: the watch's linearizable start waits for an election) or 504, or
     * cannot be reached for a moment: those are retried, from the next endpoint on, with a growing pause,
     * until {@code retryFor} has passed without success; then the last error ends the command. Any other
     * answer (401, 403, 410 compacted, ...) ends it at once. Blocks; sleeps between attempts.
     */
    private HttpResponse<InputStream> reopen(ApiClient client, String path, Duration retryFor)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long pauseMillis = 100;
        while (true) {
            try {
                return open(client, path);
            } catch (ProblemException e) {
                if ((e.status() != 503 && e.status() != 504) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                err().println("watch: " + e.describe() + "; retrying");
            } catch (ApiClient.UnreachableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                err().println("watch: " + e.getMessage() + "; retrying");
            }
            err().flush();
            client.moveToNextEndpoint();
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(1_000, pauseMillis * 2);
        }
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
