package dev.ratchet.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ratchetctl tokens create|list|revoke}: API tokens (admin). */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens (admin): create, list, revoke.",
        subcommands = {TokenCommands.Create.class, TokenCommands.ListTokens.class, TokenCommands.Revoke.class})
final class TokenCommands extends CommandGroup {

    /** Prints the new token's secret on stdout (text mode: that line only, for {@code $(...)}); id and grants on stderr. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API token; prints its secret once.")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--grant", required = true, paramLabel = "GRANT",
                description = "admin, or <kv|artifacts>:<read|write|readwrite>:<prefix>; repeat for several")
        List<String> grants;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("name", name);
            grants.forEach(body.putArray("grants")::add);
            JsonNode r = conn.client().json(ApiClient.Call.json("POST", "/api/v1/admin/tokens",
                    ApiClient.JSON.writeValueAsString(body)));
            return print(r, out -> {
                err().println("token " + r.path("id").asString() + " (" + name + ") grants " + r.path("grants"));
                out.println(r.path("token").asString());
            });
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List API tokens (never a secret).")
    static final class ListTokens extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("GET", "/api/v1/admin/tokens");
            return print(r, out -> {
                out.printf("%-24s %-20s %-26s %s%n", "ID", "NAME", "CREATED", "GRANTS");
                for (JsonNode t : r) {
                    List<String> g = new java.util.ArrayList<>();
                    t.path("grants").forEach(x -> g.add(x.asString()));
                    out.printf("%-24s %-20s %-26s %s%n", t.path("id").asString(), t.path("name").asString(),
                            t.path("createdAt").asString(), String.join(",", g));
                }
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token.")
    static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            conn.client().send(ApiClient.Call.of("DELETE", "/api/v1/admin/tokens/" + Urls.component(id)));
            return printDone("revoked", id);
        }
    }
}
