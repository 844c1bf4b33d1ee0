package dev.ratchet.state;

/** The outcome of applying one command, identical on every node. */
public sealed interface CommandResult {

    /** A document or artifact was written at {@code revision} and now has {@code etag}. */
    record Written(long revision, String etag) implements CommandResult {
    }

    /** {@code count} documents or artifacts were removed at {@code revision}. */
    record Deleted(long revision, int count) implements CommandResult {
    }

    /** A precondition did not hold; {@code currentEtag} is the etag now stored, or null if none. */
    record PreconditionFailed(String currentEtag) implements CommandResult {
    }

    /** The target of a conditional delete did not exist. */
    record NotFound() implements CommandResult {
    }

    /** A cluster-level change (roots, members) was applied. */
    record Done(long revision) implements CommandResult {
    }
}
