package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link Command.Txn}: evaluates every compare against the current documents, then runs one
 * branch through {@link DocumentWrites}. Runs inside {@link ClusterState}'s write lock on the applying
 * thread, so it is deterministic and all its writes land at one revision.
 */
final class Txn {

    /** The document writes a transaction or a lease may make; each records its change for watchers. */
    interface DocumentWrites {
        Document get(String key);

        /** Writes {@code value}, attached to {@code lease} (0: no lease). */
        Document put(String key, byte[] value, long lease);

        /** Removes the key; false if it did not exist. */
        boolean remove(String key, Change.Type why);

        boolean leaseExists(long leaseId);
    }

    private Txn() {
    }

    static CommandResult apply(long revision, Command.Txn txn, DocumentWrites writes) {
        boolean succeeded = true;
        for (TxnCompare c : txn.compares()) {
            if (!TxnCompare.holds(c, writes.get(c.key()))) {
                succeeded = false;
                break;
            }
        }
        List<TxnOp> branch = succeeded ? txn.success() : txn.failure();
        // A put naming a lease that is gone fails the whole transaction before anything is written:
        // it is checked first so that the transaction stays all-or-nothing.
        for (TxnOp op : branch) {
            if (op instanceof TxnOp.Put p && p.lease() != 0 && !writes.leaseExists(p.lease())) {
                return new CommandResult.LeaseNotFound(p.lease());
            }
        }
        List<TxnOpResult> results = new ArrayList<>(branch.size());
        for (TxnOp op : branch) {
            if (op instanceof TxnOp.Put p) {
                boolean created = writes.get(p.key()) == null;
                Document written = writes.put(p.key(), p.value(), p.lease());
                results.add(new TxnOpResult(p.key(), written.etag(), revision, 0, created));
            } else if (op instanceof TxnOp.Delete d) {
                boolean existed = writes.remove(d.key(), Change.Type.DELETE);
                results.add(new TxnOpResult(d.key(), null, revision, existed ? 1 : 0, false));
            } else {
                throw new IllegalStateException("no rule for " + op.getClass());
            }
        }
        return new CommandResult.TxnDone(revision, succeeded, results);
    }
}
