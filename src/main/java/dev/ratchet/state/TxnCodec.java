package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;

/** Binary form of a {@link Command.Txn} and of its {@link CommandResult.TxnDone}, for the two codecs. */
final class TxnCodec {

    private static final int MAX_STRING = 4096;
    private static final int COMPARE_ETAG = 1;
    private static final int COMPARE_REVISION = 2;
    private static final int COMPARE_EXISTS = 3;
    private static final int OP_PUT = 1;
    private static final int OP_DELETE = 2;

    private TxnCodec() {
    }

    static void encode(BinaryWriter w, Command.Txn txn) {
        w.i32(txn.compares().size());
        for (TxnCompare c : txn.compares()) {
            if (c instanceof TxnCompare.Etag e) {
                w.u8(COMPARE_ETAG).string(e.key()).string(e.etag());
            } else if (c instanceof TxnCompare.Revision r) {
                w.u8(COMPARE_REVISION).string(r.key()).i64(r.revision());
            } else if (c instanceof TxnCompare.Exists x) {
                w.u8(COMPARE_EXISTS).string(x.key()).bool(x.exists());
            } else {
                throw new IllegalStateException("no encoding for " + c.getClass());
            }
        }
        encodeOps(w, txn.success());
        encodeOps(w, txn.failure());
    }

    private static void encodeOps(BinaryWriter w, List<TxnOp> ops) {
        w.i32(ops.size());
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put p) {
                w.u8(OP_PUT).string(p.key()).bytes(p.value()).i64(p.lease());
            } else if (op instanceof TxnOp.Delete d) {
                w.u8(OP_DELETE).string(d.key());
            } else {
                throw new IllegalStateException("no encoding for " + op.getClass());
            }
        }
    }

    static Command.Txn decode(BinaryReader r) {
        int n = r.count("compares", Command.MAX_TXN_ITEMS);
        List<TxnCompare> compares = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = r.u8("compare kind");
            String key = r.string("compare key", MAX_STRING);
            compares.add(switch (kind) {
                case COMPARE_ETAG -> new TxnCompare.Etag(key, r.string("compare etag", MAX_STRING));
                case COMPARE_REVISION -> new TxnCompare.Revision(key, r.nonNegative("compare revision"));
                case COMPARE_EXISTS -> new TxnCompare.Exists(key, r.bool("compare exists"));
                default -> throw new MalformedDataException("unknown compare kind " + kind);
            });
        }
        List<TxnOp> success = decodeOps(r);
        List<TxnOp> failure = decodeOps(r);
        return new Command.Txn(compares, success, failure);
    }

    private static List<TxnOp> decodeOps(BinaryReader r) {
        int n = r.count("operations", Command.MAX_TXN_ITEMS);
        List<TxnOp> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = r.u8("operation kind");
            String key = r.string("operation key", MAX_STRING);
            ops.add(switch (kind) {
                case OP_PUT -> new TxnOp.Put(key, r.bytes("value", CommandCodec.MAX_VALUE_BYTES), r.nonNegative("lease"));
                case OP_DELETE -> new TxnOp.Delete(key);
                default -> throw new MalformedDataException("unknown operation kind " + kind);
            });
        }
        return ops;
    }

    static void encodeResult(BinaryWriter w, CommandResult.TxnDone done) {
        w.i64(done.revision()).bool(done.succeeded()).i32(done.results().size());
        for (TxnOpResult r : done.results()) {
            w.string(r.key()).optionalString(r.etag()).i64(r.revision()).i32(r.deleted()).bool(r.created());
        }
    }

    static CommandResult.TxnDone decodeResult(BinaryReader r) {
        long revision = r.nonNegative("revision");
        boolean succeeded = r.bool("succeeded");
        int n = r.count("operation results", Command.MAX_TXN_ITEMS);
        List<TxnOpResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(new TxnOpResult(r.string("key", MAX_STRING), r.optionalString("etag", 256),
                    r.nonNegative("revision"), r.count("deleted", 1), r.bool("created")));
        }
        return new CommandResult.TxnDone(revision, succeeded, results);
    }
}
