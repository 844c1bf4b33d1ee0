package dev.ratchet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl leader transfer [--to ID]}: hands leadership to a voter (the node picks one without --to). */
@Command(name = "leader", mixinStandardHelpOptions = true, description = "Leadership: transfer (admin).",
        subcommands = LeaderCommands.Transfer.class)
final class LeaderCommands extends CommandGroup {

    /** {@code POST /api/v1/admin/leadership/transfer[?to=ID]}; any node forwards it to the leader. */
    @Command(name = "transfer", mixinStandardHelpOptions = true, description = "Transfer leadership to another voter.")
    static final class Transfer extends ApiCommand {
        @Option(names = "--to", paramLabel = "ID", description = "the voter to lead (default: the node picks the most up-to-date one)")
        String to;

        @Override
        public Integer call() throws Exception {
            String query = to == null ? "" : "?to=" + Urls.component(to);
            JsonNode r = call("POST", "/api/v1/admin/leadership/transfer" + query);
            return print(r, "leader is now " + r.path("leader").asString());
        }
    }
}
