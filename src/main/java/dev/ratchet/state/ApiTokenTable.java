package dev.ratchet.state;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The API token records of {@link ClusterState} by id (each holds only the SHA-256 of its secret). It
 * applies the API token commands (create, revoke); join tokens are {@link JoinTokens}.
 *
 * <p>Not thread-safe: {@link ClusterState} calls {@link #apply} and {@link #replaceWith} under its write
 * lock on the applying thread, and the reads under its read lock.
 */
final class ApiTokenTable {

    private final NavigableMap<String, ApiTokenRecord> byId = new TreeMap<>();

    static boolean handles(Command command) {
        return command instanceof Command.PutApiToken || command instanceof Command.RevokeApiToken;
    }

    /**
     * Applies a command {@link #handles} accepts, committed at {@code index}.
     *
     * @throws IllegalStateException for a command it does not handle
     */
    CommandResult apply(long index, Command command) {
        if (command instanceof Command.PutApiToken c) {
            byId.put(c.token().id(), c.token());
            return new CommandResult.Done(index);
        } else if (command instanceof Command.RevokeApiToken c) {
            return byId.remove(c.id()) == null ? new CommandResult.NotFound() : new CommandResult.Deleted(index, 1);
        }
        throw new IllegalStateException("not an API token command: " + command.getClass());
    }

    /** The record with this id, or null (revoked or never created). */
    ApiTokenRecord get(String id) {
        return byId.get(id);
    }

    /** A copy, in id order. */
    List<ApiTokenRecord> all() {
        return List.copyOf(byId.values());
    }

    /** Replaces every record (a restore). */
    void replaceWith(List<ApiTokenRecord> tokens) {
        byId.clear();
        tokens.forEach(t -> byId.put(t.id(), t));
    }
}
