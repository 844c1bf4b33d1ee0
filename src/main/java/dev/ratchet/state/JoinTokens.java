package dev.ratchet.state;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The admission part of {@link ClusterState}: minted join tokens by id, whether the configured bootstrap
 * token was retired, and the Raft ids (node id and incarnation) an admin removed, which no join admits
 * again. Applying is deterministic: a use carries the leader's clock reading in the command,
 * so every replica reaches the same verdict. Not thread-safe: {@link ClusterState} guards it with its lock.
 */
final class JoinTokens {

    private final NavigableMap<String, JoinTokenRecord> tokens = new TreeMap<>();
    private boolean bootstrapRetired;
    private final java.util.TreeSet<String> barred = new java.util.TreeSet<>();

    CommandResult apply(long index, Command command) {
        if (command instanceof Command.PutJoinToken c) {
            tokens.put(c.token().id(), c.token());
            return new CommandResult.Done(index);
        }
        if (command instanceof Command.RevokeJoinToken c) {
            return tokens.remove(c.id()) == null ? new CommandResult.NotFound() : new CommandResult.Deleted(index, 1);
        }
        if (command instanceof Command.UseJoinToken c) {
            JoinTokenRecord current = tokens.get(c.id());
            if (current == null) {
                return new CommandResult.NotFound();
            }
            // Judged again here, on the number in the command: two leaders' proposals racing for the last
            // use are ordered by the log, and the second one is refused on every replica alike.
            String refusal = current.refusal(c.atMillis(), c.raftId());
            if (refusal != null) {
                return new CommandResult.Refused(refusal);
            }
            tokens.put(c.id(), current.usedBy(c.raftId()));
            return new CommandResult.Done(index);
        }
        if (command instanceof Command.BarIncarnations c) {
            barred.addAll(c.raftIds());
            return new CommandResult.Done(index);
        }
        if (command instanceof Command.RetireBootstrapToken) {
            bootstrapRetired = true;
            return new CommandResult.Done(index);
        }
        throw new IllegalStateException("not a join token command: " + command.getClass());
    }

    static boolean handles(Command command) {
        return command instanceof Command.PutJoinToken || command instanceof Command.RevokeJoinToken
                || command instanceof Command.UseJoinToken || command instanceof Command.RetireBootstrapToken
                || command instanceof Command.BarIncarnations;
    }

    JoinTokenRecord get(String id) {
        return tokens.get(id);
    }

    List<JoinTokenRecord> all() {
        return List.copyOf(tokens.values());
    }

    boolean bootstrapRetired() {
        return bootstrapRetired;
    }

    boolean isBarred(String raftId) {
        return barred.contains(raftId);
    }

    /** In order. */
    List<String> barred() {
        return List.copyOf(barred);
    }

    void replaceWith(List<JoinTokenRecord> records, boolean retired, List<String> barredIds) {
        tokens.clear();
        records.forEach(t -> tokens.put(t.id(), t));
        bootstrapRetired = retired;
        barred.clear();
        barred.addAll(barredIds);
    }
}
