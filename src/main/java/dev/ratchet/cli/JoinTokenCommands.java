package dev.ratchet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ratchetctl join-tokens create|list|revoke|retire-bootstrap}: the tokens new nodes join with (admin). */
@Command(name = "join-tokens", mixinStandardHelpOptions = true,
        description = "Join tokens (admin): create, list, revoke, retire-bootstrap.",
        subcommands = {JoinTokenCommands.Create.class, JoinTokenCommands.ListJoinTokens.class,
                JoinTokenCommands.Revoke.class, JoinTokenCommands.RetireBootstrap.class})
final class JoinTokenCommands extends CommandGroup {

    private static final String PATH = "/api/v1/admin/join-tokens";

    /** Prints only the token on stdout (for {@code TOKEN=$(ratchetctl join-tokens create --ttl 1h)}); its id on stderr. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a join token; prints it once.")
    static final class Create extends ApiCommand {
        @Option(names = "--ttl", required = true, paramLabel = "DURATION", description = "how long it is valid, e.g. 24h, 30m, 600s")
        String ttl;
        @Option(names = "--uses", paramLabel = "N", description = "how many joins it admits (default: any number until it expires)")
        Integer uses;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("ttl", ttl);
            if (uses != null) {
                body.put("uses", uses);
            }
            JsonNode r = conn.client().json(ApiClient.Call.json("POST", PATH, ApiClient.JSON.writeValueAsString(body)));
            return print(r, out -> {
                err().println("join token " + r.path("id").asString() + " expires " + r.path("expiresAt").asString()
                        + (r.path("maxUses").isNumber() ? ", " + r.path("maxUses").asInt() + " use(s)" : ""));
                out.println(r.path("token").asString());
            });
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List join tokens (never a secret).")
    static final class ListJoinTokens extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("GET", PATH);
            return print(r, out -> {
                out.println("bootstrap token " + (r.path("bootstrapRetired").asBoolean() ? "retired" : "accepted"));
                out.printf("%-24s %-26s %-26s %s%n", "ID", "CREATED", "EXPIRES", "USED/MAX");
                for (JsonNode t : r.path("tokens")) {
                    out.printf("%-24s %-26s %-26s %d/%s%n", t.path("id").asString(), t.path("createdAt").asString(),
                            t.path("expiresAt").asString(), t.path("used").asInt(),
                            t.path("maxUses").isNumber() ? t.path("maxUses").asString() : "-");
                }
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a join token.")
    static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            call("DELETE", PATH + "/" + Urls.component(id));
            return printDone("revoked", id);
        }
    }

    /** After it, only minted join tokens admit a node: the bootstrap token of the configuration no longer does. */
    @Command(name = "retire-bootstrap", mixinStandardHelpOptions = true,
            description = "Stop accepting the configured bootstrap join token (for good).")
    static final class RetireBootstrap extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            return print(call("POST", PATH + "/bootstrap/retire"), "bootstrap join token retired");
        }
    }
}
