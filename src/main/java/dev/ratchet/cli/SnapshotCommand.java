package dev.ratchet.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/**
 * {@code ratchetctl snapshot}: {@code POST /api/v1/admin/snapshot}, a Raft snapshot of the answering node
 * now (it compacts that node's log; it is not a backup: see {@code backup}).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Take a Raft snapshot on the answering node now, compacting its log (admin).")
final class SnapshotCommand extends ApiCommand {

    @Override
    public Integer call() throws Exception {
        JsonNode r = call("POST", "/api/v1/admin/snapshot");
        return print(r, "snapshot of " + r.path("nodeId").asString() + " at index " + r.path("index").asLong());
    }
}
