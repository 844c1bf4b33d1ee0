package dev.ratchet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl status}: the answering node's view: role, term, leader, indexes, voters, learners. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the answering node's view of the cluster.")
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Connection conn;

    @Override
    public Integer call() throws Exception {
        JsonNode v = conn.client().json(ApiClient.Call.of("GET", "/api/v1/cluster"));
        if (conn.json()) {
            spec.commandLine().getOut().println(ApiClient.JSON.writeValueAsString(v));
            return RatchetCtl.OK;
        }
        spec.commandLine().getOut().printf("node %s is %s in term %d; leader %s; commit %d applied %d; voters %s learners %s%n",
                v.path("nodeId").asString(), v.path("role").asString(), v.path("term").asLong(),
                v.path("leader").asString("(none)"), v.path("commitIndex").asLong(), v.path("appliedIndex").asLong(),
                v.path("voters"), v.path("learners"));
        return RatchetCtl.OK;
    }
}
