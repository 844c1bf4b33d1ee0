package dev.ratchet.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Binary image of a {@link ClusterState}. Collections are written in key order so that two nodes with
 * the same state produce identical bytes; decoding checks every length and refuses trailing bytes.
 */
final class StateSnapshotCodec {

    static final int VERSION = 1;
    /**
     * Optional sections after the artifacts, each a tag and its body, in tag order; written only when
     * not empty, so an image without them is byte for byte the version-1 image it always was.
     */
    private static final int SECTION_API_TOKENS = 1;
    private static final int SECTION_LEASES = 2;
    private static final int SECTION_CLUSTER_ID = 3;
    private static final int SECTION_JOIN_TOKENS = 4;
    private static final int MAX_STRING = 4096;
    private static final int MAX_ITEMS = 100_000_000;

    /** A decoded image. */
    record Image(long appliedIndex, byte[] roots, List<Member> members, List<Document> documents,
            List<ArtifactRecord> artifacts, List<ApiTokenRecord> apiTokens, List<Lease> leases, String clusterId,
            List<JoinTokenRecord> joinTokens, boolean bootstrapRetired, List<String> barred) {
    }

    private StateSnapshotCodec() {
    }

    static byte[] encode(long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts) {
        return encode(appliedIndex, roots, members, documents, artifacts, List.of(), List.of(), "");
    }

    /**
     * @param apiTokens in id order
     * @param leases in id order
     * @param clusterId the cluster's id, "" if none was applied
     */
    static byte[] encode(long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts,
            Collection<ApiTokenRecord> apiTokens, List<Lease> leases, String clusterId) {
        return encode(appliedIndex, roots, members, documents, artifacts, apiTokens, leases, clusterId, List.of(), false,
                List.of());
    }

    /**
     * @param joinTokens in id order; with {@code bootstrapRetired} and {@code barred} (in order) written
     *     only when there is something to say, so older images keep their bytes
     */
    static byte[] encode(long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts,
            Collection<ApiTokenRecord> apiTokens, List<Lease> leases, String clusterId, List<JoinTokenRecord> joinTokens,
            boolean bootstrapRetired, List<String> barred) {
        // Counted first, then written into an array of exactly that size: one image's worth of heap.
        BinaryWriter counter = BinaryWriter.counting();
        write(counter, appliedIndex, roots, members, documents, artifacts, apiTokens, leases, clusterId, joinTokens,
                bootstrapRetired, barred);
        BinaryWriter w = BinaryWriter.exactly(counter.size());
        write(w, appliedIndex, roots, members, documents, artifacts, apiTokens, leases, clusterId, joinTokens,
                bootstrapRetired, barred);
        return w.toByteArray();
    }

    private static void write(BinaryWriter w, long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts,
            Collection<ApiTokenRecord> apiTokens, List<Lease> leases, String clusterId, List<JoinTokenRecord> joinTokens,
            boolean bootstrapRetired, List<String> barred) {
        w.u8(VERSION).i64(appliedIndex).bytes(roots);
        w.i32(members.size());
        for (Member m : members) {
            w.string(m.id()).string(m.peerAddress()).string(m.apiUrl());
        }
        w.i32(documents.size());
        for (Document d : documents) {
            // The etag as bytes: the same encoding as string(etag), without spelling out a String per document.
            w.string(d.key()).bytes(d.valueUnsafe()).bytes(d.etagBytes()).i64(d.createRevision()).i64(d.modRevision());
        }
        w.i32(artifacts.size());
        for (ArtifactRecord a : artifacts) {
            w.string(a.path()).string(a.etag()).i64(a.size()).string(a.holder()).i64(a.modRevision());
        }
        if (!apiTokens.isEmpty()) {
            w.u8(SECTION_API_TOKENS).i32(apiTokens.size());
            for (ApiTokenRecord t : apiTokens) {
                CommandCodec.writeToken(w, t);
            }
        }
        if (!leases.isEmpty()) {
            w.u8(SECTION_LEASES).i32(leases.size());
            for (Lease l : leases) {
                w.i64(l.id()).i64(l.ttlMillis()).i32(l.keys().size());
                l.keys().stream().sorted().forEach(w::string);
            }
        }
        if (!clusterId.isEmpty()) {
            w.u8(SECTION_CLUSTER_ID).string(clusterId);
        }
        if (!joinTokens.isEmpty() || bootstrapRetired || !barred.isEmpty()) {
            w.u8(SECTION_JOIN_TOKENS).bool(bootstrapRetired).i32(joinTokens.size());
            joinTokens.forEach(t -> CommandCodec.writeJoinToken(w, t));
            w.i32(barred.size());
            barred.forEach(w::string);
        }
    }

    static Image decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8("snapshot version");
        if (version != VERSION) {
            throw new MalformedDataException("unknown state snapshot version " + version);
        }
        long applied = r.nonNegative("applied index");
        byte[] roots = r.bytes("roots", CommandCodec.MAX_VALUE_BYTES);
        int memberCount = r.count("members", 10_000);
        List<Member> members = new ArrayList<>(memberCount);
        for (int i = 0; i < memberCount; i++) {
            members.add(new Member(r.string("member id", MAX_STRING), r.string("peer address", MAX_STRING),
                    r.string("api url", MAX_STRING)));
        }
        int docCount = r.count("documents", MAX_ITEMS);
        List<Document> documents = new ArrayList<>(Math.min(docCount, 1 << 16));
        String previous = null;
        for (int i = 0; i < docCount; i++) {
            String key = KeyPaths.requireValid(r.string("key", MAX_STRING));
            previous = requireAscending(previous, key);
            documents.add(new Document(key, r.bytes("value", CommandCodec.MAX_VALUE_BYTES), r.string("etag", MAX_STRING),
                    r.nonNegative("create revision"), r.nonNegative("mod revision")));
        }
        int artifactCount = r.count("artifacts", MAX_ITEMS);
        List<ArtifactRecord> artifacts = new ArrayList<>(Math.min(artifactCount, 1 << 16));
        previous = null;
        for (int i = 0; i < artifactCount; i++) {
            String path = KeyPaths.requireValid(r.string("artifact path", MAX_STRING));
            previous = requireAscending(previous, path);
            String etag = r.string("artifact etag", MAX_STRING);
            if (!Etags.isSha256Hex(etag)) {
                throw new MalformedDataException("artifact " + path + " has a malformed etag");
            }
            artifacts.add(new ArtifactRecord(path, etag, r.nonNegative("artifact size"),
                    Member.requireValidId(r.string("artifact holder", MAX_STRING)), r.nonNegative("artifact revision")));
        }
        List<ApiTokenRecord> tokens = new ArrayList<>();
        List<Lease> leases = List.of();
        String clusterId = "";
        List<JoinTokenRecord> joinTokens = new ArrayList<>();
        boolean retired = false;
        List<String> barred = List.of();
        int lastSection = 0;
        while (r.hasRemaining()) {
            int section = r.u8("snapshot section");
            if (section <= lastSection) {
                throw new MalformedDataException("state snapshot section " + section + " out of order or repeated");
            }
            lastSection = section;
            if (section == SECTION_API_TOKENS) {
                int tokenCount = r.count("api tokens", 1_000_000);
                previous = null;
                for (int i = 0; i < tokenCount; i++) {
                    ApiTokenRecord t = CommandCodec.readToken(r);
                    previous = requireAscending(previous, t.id());
                    tokens.add(t);
                }
            } else if (section == SECTION_LEASES) {
                leases = decodeLeases(r, documents);
            } else if (section == SECTION_CLUSTER_ID) {
                try {
                    clusterId = Command.requireValidClusterId(r.string("cluster id", 64));
                } catch (IllegalArgumentException e) {
                    throw new MalformedDataException("state snapshot: " + e.getMessage());
                }
            } else if (section == SECTION_JOIN_TOKENS) {
                retired = r.bool("bootstrap token retired");
                int count = r.count("join tokens", 1_000_000);
                previous = null;
                for (int i = 0; i < count; i++) {
                    JoinTokenRecord t = CommandCodec.readJoinToken(r);
                    previous = requireAscending(previous, t.id());
                    joinTokens.add(t);
                }
                barred = CommandCodec.readStrings(r, "barred raft ids", 1_000_000);
            } else {
                throw new MalformedDataException("unknown state snapshot section " + section);
            }
        }
        r.requireEnd("state snapshot");
        return new Image(applied, roots, members, documents, artifacts, tokens, leases, clusterId, joinTokens, retired,
                barred);
    }

    private static List<Lease> decodeLeases(BinaryReader r, List<Document> documents) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        documents.forEach(d -> keys.add(d.key()));
        int count = r.count("leases", MAX_ITEMS);
        List<Lease> leases = new ArrayList<>(Math.min(count, 1 << 16));
        java.util.Set<String> held = new java.util.HashSet<>();
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long id = r.nonNegative("lease id");
            if (id <= previous) {
                throw new MalformedDataException("snapshot leases out of order at " + id);
            }
            previous = id;
            long ttl = r.nonNegative("lease ttl");
            int keyCount = r.count("lease keys", MAX_ITEMS);
            java.util.Set<String> leaseKeys = new java.util.HashSet<>();
            for (int k = 0; k < keyCount; k++) {
                String key = r.string("lease key", MAX_STRING);
                if (!keys.contains(key) || !held.add(key)) {
                    throw new MalformedDataException("lease " + id + " holds '" + key + "', which is absent or held twice");
                }
                leaseKeys.add(key);
            }
            leases.add(new Lease(id, ttl, leaseKeys));
        }
        return leases;
    }

    private static String requireAscending(String previous, String next) {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new MalformedDataException("snapshot keys out of order at '" + next + "'");
        }
        return next;
    }
}
