package dev.ratchet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ratchetctl members list|add|remove}. */
@Command(name = "members", mixinStandardHelpOptions = true, description = "Cluster members: list, add, remove (admin).",
        subcommands = {MemberCommands.ListMembers.class, MemberCommands.Add.class, MemberCommands.Remove.class})
final class MemberCommands implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return RatchetCtl.USAGE;
    }

    /** Members as the answering node sees them, with each one's role (leader, voter, learner). */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the members.")
    static final class ListMembers implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection conn;

        @Override
        public Integer call() throws Exception {
            JsonNode view = conn.client().json(ApiClient.Call.of("GET", "/api/v1/cluster"));
            if (conn.json()) {
                spec.commandLine().getOut().println(ApiClient.JSON.writeValueAsString(view.path("members")));
                return RatchetCtl.OK;
            }
            spec.commandLine().getOut().printf("%-20s %-8s %-24s %s%n", "ID", "ROLE", "PEER", "API");
            view.path("members").properties().forEach(m -> {
                String id = m.getKey();
                String role = id.equals(view.path("leader").asString(null)) ? "leader"
                        : contains(view.path("voters"), id) ? "voter" : contains(view.path("learners"), id) ? "learner" : "-";
                spec.commandLine().getOut().printf("%-20s %-8s %-24s %s%n", id, role,
                        m.getValue().path("peerAddress").asString(), m.getValue().path("apiUrl").asString());
            });
            return RatchetCtl.OK;
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
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection conn;
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
            spec.commandLine().getOut().println(conn.json() ? ApiClient.JSON.writeValueAsString(r) : "added " + id + ": " + r.path("status").asString(r.toString()));
            return RatchetCtl.OK;
        }
    }

    @Command(name = "remove", aliases = "rm", mixinStandardHelpOptions = true, description = "Remove a member.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection conn;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode r = conn.client().json(ApiClient.Call.of("DELETE", "/api/v1/admin/members/" + Urls.component(id)));
            spec.commandLine().getOut().println(conn.json() ? ApiClient.JSON.writeValueAsString(r) : "removed " + id);
            return RatchetCtl.OK;
        }
    }
}
