package dev.ratchet.node;

/**
 * A joiner claims the node id of a member incarnation the leader still hears from. It may be an impostor,
 * or the old incarnation is not gone yet; the join is refused for now and may be retried (it succeeds
 * once the old incarnation has been silent for {@code ratchet.membership.replace-after}).
 */
public class IncarnationConflictException extends NodeUnavailableException {

    public IncarnationConflictException(String message) {
        super(message);
    }
}
