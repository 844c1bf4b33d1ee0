package dev.ratchet.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl status}: the answering node's view: role, term, leader, indexes, voters, learners. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the answering node's view of the cluster.")
final class StatusCommand extends ApiCommand {

    @Override
    public Integer call() throws Exception {
        JsonNode v = call("GET", "/api/v1/cluster");
        return print(v, out -> out.printf("node %s is %s in term %d; leader %s; commit %d applied %d; voters %s learners %s%n",
                v.path("nodeId").asString(), v.path("role").asString(), v.path("term").asLong(),
                v.path("leader").asString("(none)"), v.path("commitIndex").asLong(), v.path("appliedIndex").asLong(),
                v.path("voters"), v.path("learners")));
    }
}
