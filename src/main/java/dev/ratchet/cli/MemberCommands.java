package dev.ratchet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ratchetctl members list|add|remove}. */
@Command(name = "members", mixinStandardHelpOptions = true, description = "Cluster members: list, add, remove, promote (admin).",
        subcommands = {MemberCommands.ListMembers.class, MemberCommands.Add.class, MemberCommands.Remove.class,
                MemberCommands.Promote.class})
final class MemberCommands extends CommandGroup {

    /** Members as the answering node sees them, with each one's role (leader, voter, learner). */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the members.")
    static final class ListMembers extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode view = call("GET", "/api/v1/cluster");
            return print(view.path("members"), out -> {
                out.printf("%-20s %-8s %-24s %s%n", "ID", "ROLE", "PEER", "API");
                view.path("members").properties().forEach(m -> {
                    String id = m.getKey();
                    String role = id.equals(view.path("leader").asString(null)) ? "leader"
                            : contains(view.path("voters"), id) ? "voter" : contains(view.path("learners"), id) ? "learner" : "-";
                    out.printf("%-20s %-8s %-24s %s%n", id, role,
                            m.getValue().path("peerAddress").asString(), m.getValue().path("apiUrl").asString());
                });
            });
        }

        private static boolean contains(JsonNode array, String id) {
            for (JsonNode n : array) {
                if (n.asString().equals(id)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a member (it joins as a learner).")
    static final class Add extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--peer-address", required = true, paramLabel = "HOST:PORT")
        String peerAddress;
        @Option(names = "--api-url", required = true, paramLabel = "URL")
        String apiUrl;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("id", id).put("peerAddress", peerAddress).put("apiUrl", apiUrl);
            JsonNode r = conn.client().json(ApiClient.Call.json("POST", "/api/v1/admin/members", ApiClient.JSON.writeValueAsString(body)));
            return print(r, "added " + id + ": " + r.path("status").asString(r.toString()));
        }
    }

    @Command(name = "remove", aliases = "rm", mixinStandardHelpOptions = true, description = "Remove a member.")
    static final class Remove extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            return print(call("DELETE", "/api/v1/admin/members/" + Urls.component(id)), "removed " + id);
        }
    }

    /** {@code POST /api/v1/admin/members/ID/promote}: a learner beyond {@code ratchet.join.max-voters} becomes a voter. */
    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Promote a learner to voter.")
    static final class Promote extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("POST", "/api/v1/admin/members/" + Urls.component(id) + "/promote");
            return print(r, "promoted " + id + ": " + r.path("status").asString());
        }
    }
}
