package dev.ratchet.state;

/**
 * Binary form of a {@link CommandResult} with the log index it was applied at, used when a follower
 * forwards a write to the leader and relays the answer.
 */
public final class CommandResultCodec {

    private static final int TAG_WRITTEN = 1;
    private static final int TAG_DELETED = 2;
    private static final int TAG_PRECONDITION_FAILED = 3;
    private static final int TAG_NOT_FOUND = 4;
    private static final int TAG_DONE = 5;
    private static final int TAG_TXN_DONE = 20;
    private static final int TAG_LEASE_GRANTED = 21;
    private static final int TAG_LEASE_NOT_FOUND = 22;
    private static final int TAG_REFUSED = 23;

    /** A result and the index of the entry that produced it. */
    public record Applied(long index, CommandResult result) {
    }

    private CommandResultCodec() {
    }

    public static byte[] encode(long index, CommandResult result) {
        BinaryWriter w = new BinaryWriter(48).i64(index);
        if (result instanceof CommandResult.Written r) {
            w.u8(TAG_WRITTEN).i64(r.revision()).string(r.etag());
        } else if (result instanceof CommandResult.Deleted r) {
            w.u8(TAG_DELETED).i64(r.revision()).i32(r.count());
        } else if (result instanceof CommandResult.PreconditionFailed r) {
            w.u8(TAG_PRECONDITION_FAILED).optionalString(r.currentEtag());
        } else if (result instanceof CommandResult.NotFound) {
            w.u8(TAG_NOT_FOUND);
        } else if (result instanceof CommandResult.Done r) {
            w.u8(TAG_DONE).i64(r.revision());
        } else if (result instanceof CommandResult.TxnDone r) {
            TxnCodec.encodeResult(w.u8(TAG_TXN_DONE), r);
        } else if (result instanceof CommandResult.LeaseGranted r) {
            w.u8(TAG_LEASE_GRANTED).i64(r.revision()).i64(r.leaseId()).i64(r.ttlMillis());
        } else if (result instanceof CommandResult.LeaseNotFound r) {
            w.u8(TAG_LEASE_NOT_FOUND).i64(r.leaseId());
        } else if (result instanceof CommandResult.Refused r) {
            w.u8(TAG_REFUSED).string(r.reason());
        } else {
            throw new IllegalStateException("no encoding for " + result);
        }
        return w.toByteArray();
    }

    public static Applied decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        long index = r.nonNegative("index");
        int tag = r.u8("result tag");
        CommandResult result = switch (tag) {
            case TAG_WRITTEN -> new CommandResult.Written(r.nonNegative("revision"), r.string("etag", 256));
            case TAG_DELETED -> new CommandResult.Deleted(r.nonNegative("revision"), r.count("count", Integer.MAX_VALUE));
            case TAG_PRECONDITION_FAILED -> new CommandResult.PreconditionFailed(r.optionalString("etag", 256));
            case TAG_NOT_FOUND -> new CommandResult.NotFound();
            case TAG_DONE -> new CommandResult.Done(r.nonNegative("revision"));
            case TAG_TXN_DONE -> TxnCodec.decodeResult(r);
            case TAG_LEASE_GRANTED -> new CommandResult.LeaseGranted(r.nonNegative("revision"), r.nonNegative("lease id"),
                    r.nonNegative("lease ttl"));
            case TAG_LEASE_NOT_FOUND -> new CommandResult.LeaseNotFound(r.nonNegative("lease id"));
            case TAG_REFUSED -> new CommandResult.Refused(r.string("reason", 4096));
            default -> throw new MalformedDataException("unknown result tag " + tag);
        };
        r.requireEnd("command result");
        return new Applied(index, result);
    }
}
