package dev.ratchet.state;

import java.util.Objects;

/**
 * What a Raft entry of type COMMAND carries: a command plus who proposed it and under which request id,
 * so that the proposing node can answer the waiting client when the entry is applied.
 */
public record Proposal(String origin, long requestId, Command command) {

    public Proposal {
        // The proposing node's Raft id (node id and incarnation): only that incarnation answers its clients.
        Member.requireValidRaftId(origin);
        Objects.requireNonNull(command, "command");
    }
}
