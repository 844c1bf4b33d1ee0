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

    /** A transaction was applied at {@code revision}; {@code succeeded} says which branch ran. */
    record TxnDone(long revision, boolean succeeded, java.util.List<TxnOpResult> results) implements CommandResult {
        public TxnDone {
            results = java.util.List.copyOf(results);
        }
    }

    /** A lease was granted at {@code revision}; its id is that revision. */
    record LeaseGranted(long revision, long leaseId, long ttlMillis) implements CommandResult {
    }

    /** The lease named by a command does not exist (never granted, revoked or expired). */
    record LeaseNotFound(long leaseId) implements CommandResult {
    }

    /** The command was refused by a rule of the state machine; {@code reason} is safe to show. */
    record Refused(String reason) implements CommandResult {
    }
}
