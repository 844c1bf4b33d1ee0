package dev.ratchet.state;

/**
 * Binary form of {@link Proposal}s in the Raft log. The first byte is a format version so that a newer
 * node can still read entries an older one wrote; unknown versions and tags are refused, never guessed.
 */
public final class CommandCodec {

    /** Current format version. */
    public static final int VERSION = 1;
    /** Upper bound for any document value or roots bundle in the log. */
    public static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

    private static final int TAG_PUT_KEY = 1;
    private static final int TAG_DELETE_KEY = 2;
    private static final int TAG_SET_ROOTS = 3;
    private static final int TAG_SET_MEMBER = 4;
    private static final int TAG_REMOVE_MEMBER = 5;
    private static final int TAG_PUT_ARTIFACT = 6;
    private static final int TAG_DELETE_ARTIFACT = 7;
    private static final int TAG_DELETE_ARTIFACT_PREFIX = 8;
    private static final int TAG_SET_CLUSTER_ID = 9;
    private static final int TAG_SET_ROOTS_IF = 10;
    // Tags 20 and up: security records (kept apart from the cluster records' range).
    private static final int TAG_PUT_API_TOKEN = 20;
    private static final int TAG_REVOKE_API_TOKEN = 21;
    private static final int TAG_PUT_JOIN_TOKEN = 22;
    private static final int TAG_REVOKE_JOIN_TOKEN = 23;
    private static final int TAG_USE_JOIN_TOKEN = 24;
    private static final int TAG_RETIRE_BOOTSTRAP_TOKEN = 25;
    private static final int TAG_BAR_INCARNATIONS = 26;
    // Transactions and leases (issue 15) take 30 and up (20 and up: security records).
    private static final int TAG_TXN = 30;
    private static final int TAG_GRANT_LEASE = 31;
    private static final int TAG_KEEP_ALIVE_LEASE = 32;
    private static final int TAG_REVOKE_LEASE = 33;

    private static final int MAX_STRING = 4096;

    private CommandCodec() {
    }

    public static byte[] encode(Proposal proposal) {
        BinaryWriter w = new BinaryWriter(64);
        w.u8(VERSION).string(proposal.origin()).i64(proposal.requestId());
        Command command = proposal.command();
        // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete, and the final
        // branch fails loudly if a new command type is added without an encoding.
        if (command instanceof Command.PutKey c) {
            w.u8(TAG_PUT_KEY).string(c.key()).bytes(c.value()).optionalString(c.ifMatch()).bool(c.createOnly());
        } else if (command instanceof Command.DeleteKey c) {
            w.u8(TAG_DELETE_KEY).string(c.key()).optionalString(c.ifMatch());
        } else if (command instanceof Command.SetRoots c) {
            if (c.previousSha256() == null) {
                w.u8(TAG_SET_ROOTS).bytes(c.serializedRoots());
            } else {
                w.u8(TAG_SET_ROOTS_IF).bytes(c.serializedRoots()).bytes(c.previousSha256());
            }
        } else if (command instanceof Command.SetClusterId c) {
            w.u8(TAG_SET_CLUSTER_ID).string(c.clusterId());
        } else if (command instanceof Command.SetMember c) {
            w.u8(TAG_SET_MEMBER).string(c.member().id()).string(c.member().peerAddress()).string(c.member().apiUrl());
        } else if (command instanceof Command.RemoveMember c) {
            w.u8(TAG_REMOVE_MEMBER).string(c.nodeId());
        } else if (command instanceof Command.PutArtifact c) {
            w.u8(TAG_PUT_ARTIFACT).string(c.path()).string(c.etag()).i64(c.size()).string(c.holder())
                    .optionalString(c.ifMatch()).bool(c.createOnly());
        } else if (command instanceof Command.DeleteArtifact c) {
            w.u8(TAG_DELETE_ARTIFACT).string(c.path()).optionalString(c.ifMatch());
        } else if (command instanceof Command.DeleteArtifactPrefix c) {
            w.u8(TAG_DELETE_ARTIFACT_PREFIX).string(c.prefix());
        } else if (command instanceof Command.PutApiToken c) {
            w.u8(TAG_PUT_API_TOKEN);
            writeToken(w, c.token());
        } else if (command instanceof Command.RevokeApiToken c) {
            w.u8(TAG_REVOKE_API_TOKEN).string(c.id());
        } else if (command instanceof Command.PutJoinToken c) {
            writeJoinToken(w.u8(TAG_PUT_JOIN_TOKEN), c.token());
        } else if (command instanceof Command.RevokeJoinToken c) {
            w.u8(TAG_REVOKE_JOIN_TOKEN).string(c.id());
        } else if (command instanceof Command.UseJoinToken c) {
            w.u8(TAG_USE_JOIN_TOKEN).string(c.id()).i64(c.atMillis()).string(c.raftId());
        } else if (command instanceof Command.RetireBootstrapToken) {
            w.u8(TAG_RETIRE_BOOTSTRAP_TOKEN);
        } else if (command instanceof Command.BarIncarnations c) {
            w.u8(TAG_BAR_INCARNATIONS).i32(c.raftIds().size());
            c.raftIds().forEach(w::string);
        } else if (command instanceof Command.Txn c) {
            TxnCodec.encode(w.u8(TAG_TXN), c);
        } else if (command instanceof Command.GrantLease c) {
            w.u8(TAG_GRANT_LEASE).i64(c.ttlMillis());
        } else if (command instanceof Command.KeepAliveLease c) {
            w.u8(TAG_KEEP_ALIVE_LEASE).i64(c.leaseId());
        } else if (command instanceof Command.RevokeLease c) {
            w.u8(TAG_REVOKE_LEASE).i64(c.leaseId()).bool(c.expired());
        } else {
            throw new IllegalStateException("no encoding for " + command.getClass());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a proposal.
     *
     * @throws MalformedDataException or another {@link IllegalArgumentException} if the bytes are not a
     *     valid proposal of a known version
     */
    public static Proposal decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8("version");
        if (version != VERSION) {
            throw new MalformedDataException("unknown command format version " + version);
        }
        String origin = r.string("origin", MAX_STRING);
        long requestId = r.i64("request id");
        int tag = r.u8("command tag");
        Command command = switch (tag) {
            case TAG_PUT_KEY -> new Command.PutKey(r.string("key", MAX_STRING), r.bytes("value", MAX_VALUE_BYTES),
                    r.optionalString("if-match", MAX_STRING), r.bool("create-only"));
            case TAG_DELETE_KEY -> new Command.DeleteKey(r.string("key", MAX_STRING),
                    r.optionalString("if-match", MAX_STRING));
            case TAG_SET_ROOTS -> new Command.SetRoots(r.bytes("roots", MAX_VALUE_BYTES));
            case TAG_SET_ROOTS_IF -> new Command.SetRoots(r.bytes("roots", MAX_VALUE_BYTES),
                    requireHash(r.bytes("previous roots hash", 32)));
            case TAG_SET_MEMBER -> new Command.SetMember(new Member(r.string("member id", MAX_STRING),
                    r.string("peer address", MAX_STRING), r.string("api url", MAX_STRING)));
            case TAG_SET_CLUSTER_ID -> new Command.SetClusterId(r.string("cluster id", 64));
            case TAG_REMOVE_MEMBER -> new Command.RemoveMember(r.string("member id", MAX_STRING));
            case TAG_PUT_ARTIFACT -> new Command.PutArtifact(r.string("path", MAX_STRING),
                    r.string("etag", MAX_STRING), r.nonNegative("size"), r.string("holder", MAX_STRING),
                    r.optionalString("if-match", MAX_STRING), r.bool("create-only"));
            case TAG_DELETE_ARTIFACT -> new Command.DeleteArtifact(r.string("path", MAX_STRING),
                    r.optionalString("if-match", MAX_STRING));
            case TAG_DELETE_ARTIFACT_PREFIX -> new Command.DeleteArtifactPrefix(r.string("prefix", MAX_STRING));
            case TAG_PUT_API_TOKEN -> new Command.PutApiToken(readToken(r));
            case TAG_REVOKE_API_TOKEN -> new Command.RevokeApiToken(r.string("token id", MAX_STRING));
            case TAG_PUT_JOIN_TOKEN -> new Command.PutJoinToken(readJoinToken(r));
            case TAG_REVOKE_JOIN_TOKEN -> new Command.RevokeJoinToken(r.string("join token id", MAX_STRING));
            case TAG_USE_JOIN_TOKEN -> new Command.UseJoinToken(r.string("join token id", MAX_STRING), r.i64("use time"),
                    r.string("joiner raft id", MAX_STRING));
            case TAG_RETIRE_BOOTSTRAP_TOKEN -> new Command.RetireBootstrapToken();
            case TAG_BAR_INCARNATIONS -> new Command.BarIncarnations(readStrings(r, "barred raft ids", 64));
            case TAG_TXN -> TxnCodec.decode(r);
            case TAG_GRANT_LEASE -> new Command.GrantLease(r.nonNegative("lease ttl"));
            case TAG_KEEP_ALIVE_LEASE -> new Command.KeepAliveLease(r.nonNegative("lease id"));
            case TAG_REVOKE_LEASE -> new Command.RevokeLease(r.nonNegative("lease id"), r.bool("expired"));
            default -> throw new MalformedDataException("unknown command tag " + tag);
        };
        r.requireEnd("proposal");
        return new Proposal(origin, requestId, command);
    }

    /** The wire form of a token record, shared with {@link StateSnapshotCodec}. */
    private static byte[] requireHash(byte[] hash) {
        if (hash.length != 32) {
            throw new MalformedDataException("a conditional SetRoots names a previous-roots hash of " + hash.length
                    + " bytes, not 32");
        }
        return hash;
    }

    static void writeToken(BinaryWriter w, ApiTokenRecord t) {
        w.string(t.id()).string(t.name()).bytes(t.secretSha256()).i32(t.grants().size());
        for (String g : t.grants()) {
            w.string(g);
        }
        w.i64(t.createdMillis());
    }

    static ApiTokenRecord readToken(BinaryReader r) {
        String id = r.string("token id", MAX_STRING);
        String name = r.string("token name", MAX_STRING);
        byte[] hash = r.bytes("token hash", 64);
        int count = r.count("token grants", ApiTokenRecord.MAX_GRANTS);
        java.util.List<String> grants = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            grants.add(r.string("token grant", ApiTokenRecord.MAX_GRANT_LENGTH * 4));
        }
        try {
            return new ApiTokenRecord(id, name, hash, grants, r.i64("token created"));
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("malformed API token record: " + e.getMessage());
        }
    }

    /** The wire form of a join token record, shared with {@link StateSnapshotCodec}. */
    static BinaryWriter writeJoinToken(BinaryWriter w, JoinTokenRecord t) {
        w.string(t.id()).bytes(t.salt()).i32(t.iterations()).bytes(t.derivedKey()).i64(t.createdMillis())
                .i64(t.expiresMillis()).i32(t.maxUses()).i32(t.usedBy().size());
        t.usedBy().forEach(w::string);
        return w;
    }

    static JoinTokenRecord readJoinToken(BinaryReader r) {
        try {
            String id = r.string("join token id", MAX_STRING);
            byte[] salt = r.bytes("join token salt", 64);
            int iterations = r.i32("join token iterations");
            byte[] key = r.bytes("join token key", 64);
            long created = r.i64("join token created");
            long expires = r.i64("join token expiry");
            int maxUses = r.i32("join token max uses");
            int count = r.count("join token uses", JoinTokenRecord.MAX_USES);
            java.util.List<String> usedBy = new java.util.ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                usedBy.add(r.string("join token user", MAX_STRING));
            }
            return new JoinTokenRecord(id, salt, iterations, key, created, expires, maxUses, usedBy);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("malformed join token record: " + e.getMessage());
        }
    }

    static java.util.List<String> readStrings(BinaryReader r, String what, int max) {
        int count = r.count(what, max);
        java.util.List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(r.string(what, MAX_STRING));
        }
        return out;
    }
}
