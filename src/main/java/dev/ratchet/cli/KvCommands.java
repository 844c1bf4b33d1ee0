package dev.ratchet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ratchetctl kv get|put|del|list|watch}. */
@Command(name = "kv", mixinStandardHelpOptions = true, description = "Keys: get, put, del, list, watch.",
        subcommands = {KvCommands.Get.class, KvCommands.Put.class, KvCommands.Del.class, KvCommands.ListKeys.class,
                WatchCommand.class})
final class KvCommands extends CommandGroup {

    /** Prints a key's value (raw bytes); {@code -o json}: key, etag, revision and the value in base64. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a key's value.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--stale", description = "read this node's replica instead of a linearizable read")
        boolean stale;

        @Override
        public Integer call() throws Exception {
            HttpResponse<byte[]> r = conn.client().send(ApiClient.Call.of("GET", "/api/v1/kv/" + Urls.path(key)
                    + (stale ? "?stale=true" : "")));
            if (conn.json()) {
                ObjectNode n = ApiClient.JSON.createObjectNode();
                n.put("key", key);
                n.put("etag", r.headers().firstValue("ETag").map(KvCommands::unquote).orElse(null));
                n.put("revision", Long.parseLong(r.headers().firstValue("X-Ratchet-Revision").orElse("0")));
                n.put("value", Base64.getEncoder().encodeToString(r.body()));
                out().println(ApiClient.JSON.writeValueAsString(n));
            } else {
                // Raw bytes, as etcdctl prints a value; a person's terminal shows text values as they are.
                PrintWriter out = out();
                out.print(new String(r.body(), StandardCharsets.UTF_8));
                out.println();
            }
            return RatchetCtl.OK;
        }
    }

    /** Writes a key from an argument, a file or standard input ({@code -}). */
    @Command(name = "put", mixinStandardHelpOptions = true, description = "Write a key.")
    static final class Put extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "the value; '-' or absent with --file")
        String value;
        @Option(names = "--file", paramLabel = "FILE", description = "read the value from FILE ('-': standard input)")
        String file;
        @Option(names = "--if-match", paramLabel = "ETAG", description = "write only if the key is at this etag ('*': exists)")
        String ifMatch;
        @Option(names = "--if-absent", description = "write only if the key does not exist")
        boolean ifAbsent;
        @Option(names = "--lease", paramLabel = "ID", description = "delete the key when this lease ends")
        Long lease;

        @Override
        public Integer call() throws Exception {
            byte[] bytes = value(spec, value, file);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/octet-stream");
            if (ifMatch != null) {
                headers.put("If-Match", ifMatch.equals("*") ? "*" : quote(ifMatch));
            }
            if (ifAbsent) {
                headers.put("If-None-Match", "*");
            }
            String path = "/api/v1/kv/" + Urls.path(key) + (lease == null ? "" : "?lease=" + lease);
            HttpResponse<byte[]> r = conn.client().send(new ApiClient.Call("PUT", path, headers,
                    HttpRequest.BodyPublishers.ofByteArray(bytes), false));
            JsonNode body = ApiClient.JSON.readTree(r.body());
            return print(body, out -> out.printf("%s %s etag %s revision %d%n", r.statusCode() == 201 ? "created" : "replaced",
                    key, body.path("etag").asString(), body.path("revision").asLong()));
        }
    }

    /** Deletes a key. */
    @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true, description = "Delete a key.")
    static final class Del extends ApiCommand {
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--if-match", paramLabel = "ETAG", description = "delete only if the key is at this etag")
        String ifMatch;

        @Override
        public Integer call() throws Exception {
            Map<String, String> headers = ifMatch == null ? Map.of() : Map.of("If-Match", quote(ifMatch));
            HttpResponse<byte[]> r = conn.client().send(new ApiClient.Call("DELETE", "/api/v1/kv/" + Urls.path(key),
                    headers, null, false));
            if (conn.json()) {
                out().println(r.body().length == 0 ? "{}" : new String(r.body(), StandardCharsets.UTF_8));
            } else {
                out().println("deleted " + key);
            }
            return RatchetCtl.OK;
        }
    }

    /** Lists keys under a prefix, following every page. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List keys under a prefix.")
    static final class ListKeys extends ApiCommand {
        @Parameters(arity = "0..1", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Override
        public Integer call() throws Exception {
            Pages.print(conn, out(), "/api/v1/kv", prefix, "key",
                    item -> String.format("%-40s %8d %8d  %s", item.path("key").asString(), item.path("modRevision").asLong(),
                            item.path("size").asLong(), item.path("etag").asString()),
                    String.format("%-40s %8s %8s  %s", "KEY", "REVISION", "SIZE", "ETAG"));
            return RatchetCtl.OK;
        }
    }

    /** The value of put: the argument, a file, or standard input. */
    static byte[] value(CommandLine.Model.CommandSpec spec, String value, String file) throws IOException {
        if (value != null && file != null) {
            throw new IllegalArgumentException("give the value either as an argument or with --file, not both");
        }
        String source = file != null ? file : value;
        if (source == null) {
            throw new IllegalArgumentException("no value: give it as an argument, '-' for standard input, or --file FILE");
        }
        if (file == null && !"-".equals(value)) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        if ("-".equals(source)) {
            InputStream in = System.in;
            return in.readAllBytes();
        }
        return Files.readAllBytes(Path.of(source));
    }

    static String quote(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
