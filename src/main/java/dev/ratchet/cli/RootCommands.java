package dev.ratchet.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl roots list|rotate}: the cluster's trust roots (certificates only) and rotating them now. */
@Command(name = "roots", mixinStandardHelpOptions = true, description = "Trust roots: list, rotate (admin).",
        subcommands = {RootCommands.ListRoots.class, RootCommands.Rotate.class})
final class RootCommands extends CommandGroup {

    /** {@code GET /api/v1/cluster/roots}: the roots the answering node trusts now, newest first. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the trust roots, newest first.")
    static final class ListRoots extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode roots = call("GET", "/api/v1/cluster/roots");
            return print(roots, out -> {
                out.printf("%-20s %-22s %-22s %s%n", "SERIAL", "NOT-BEFORE", "NOT-AFTER", "SHA-256");
                for (JsonNode r : roots) {
                    out.printf("%-20s %-22s %-22s %s%n", r.path("serial").asString(), r.path("notBefore").asString(),
                            r.path("notAfter").asString(), r.path("sha256Fingerprint").asString());
                }
            });
        }
    }

    /** {@code POST /api/v1/admin/roots/rotate}: adds a new newest root at once instead of on schedule. */
    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Rotate the trust roots now (admin).")
    static final class Rotate extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("POST", "/api/v1/admin/roots/rotate");
            return print(r, "rotated: newest root " + r.path("newest").asString() + ", roots " + r.path("roots"));
        }
    }
}
