package dev.ratchet.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl artifacts put|get|list|del}: files streamed in and out, never held in memory whole. */
@Command(name = "artifacts", mixinStandardHelpOptions = true, description = "Artifacts: put, get, list, del.",
        subcommands = {ArtifactCommands.Put.class, ArtifactCommands.Get.class, ArtifactCommands.ListArtifacts.class,
                ArtifactCommands.Del.class})
final class ArtifactCommands extends CommandGroup {

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Upload FILE as the artifact PATH.")
    static final class Put extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;
        @Parameters(index = "1", paramLabel = "FILE")
        Path file;
        @Option(names = "--if-absent", description = "upload only if PATH does not exist")
        boolean ifAbsent;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not a readable file");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/octet-stream");
            if (ifAbsent) {
                headers.put("If-None-Match", "*");
            }
            HttpResponse<byte[]> r = conn.client().send(new ApiClient.Call("PUT", "/api/v1/artifacts/" + Urls.path(path),
                    headers, HttpRequest.BodyPublishers.ofFile(file), true));
            JsonNode body = ApiClient.JSON.readTree(r.body());
            return print(body, "stored " + path + " sha256 " + body.path("etag").asString() + " revision " + body.path("revision").asLong());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Download the artifact PATH.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "PATH")
        String path;
        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write it ('-': standard output)")
        String out;

        @Override
        public Integer call() throws Exception {
            HttpResponse<InputStream> r = conn.client().stream(new ApiClient.Call("GET", "/api/v1/artifacts/" + Urls.path(path),
                    Map.of(), null, true));
            try (InputStream in = r.body()) {
                if ("-".equals(out)) {
                    OutputStream stdout = System.out;
                    in.transferTo(stdout);
                    stdout.flush();
                } else {
                    // Written beside the target and moved into place, so a broken download leaves no partial file.
                    Path target = Path.of(out).toAbsolutePath();
                    Path partial = Files.createTempFile(target.getParent(), ".ratchetctl-", ".part");
                    try {
                        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                    err().println("wrote " + target + " (etag "
                            + r.headers().firstValue("ETag").map(KvCommands::unquote).orElse("?") + ")");
                }
            }
            return RatchetCtl.OK;
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List artifacts under a prefix.")
    static final class ListArtifacts extends ApiCommand {
        @Parameters(arity = "0..1", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Override
        public Integer call() throws Exception {
            Pages.print(conn, out(), "/api/v1/artifacts", prefix, "path",
                    item -> String.format("%-40s %12d  %s", item.path("path").asString(), item.path("size").asLong(),
                            item.path("etag").asString()),
                    String.format("%-40s %12s  %s", "PATH", "SIZE", "SHA256"));
            return RatchetCtl.OK;
        }
    }

    @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true, description = "Delete an artifact.")
    static final class Del extends ApiCommand {
        @Parameters(paramLabel = "PATH")
        String path;

        @Override
        public Integer call() throws Exception {
            conn.client().send(ApiClient.Call.of("DELETE", "/api/v1/artifacts/" + Urls.path(path)));
            return printDone("deleted", path);
        }
    }
}
