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
    private static final int MAX_STRING = 4096;
    private static final int MAX_ITEMS = 100_000_000;

    /** A decoded image. */
    record Image(long appliedIndex, byte[] roots, List<Member> members, List<Document> documents,
            List<ArtifactRecord> artifacts, List<ApiTokenRecord> apiTokens) {
    }

    private StateSnapshotCodec() {
    }

    static byte[] encode(long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts) {
        return encode(appliedIndex, roots, members, documents, artifacts, List.of());
    }

    /** @param apiTokens in id order */
    static byte[] encode(long appliedIndex, byte[] roots, Collection<Member> members,
            Collection<Document> documents, Collection<ArtifactRecord> artifacts,
            Collection<ApiTokenRecord> apiTokens) {
        BinaryWriter w = new BinaryWriter(1024);
        w.u8(VERSION).i64(appliedIndex).bytes(roots);
        w.i32(members.size());
        for (Member m : members) {
            w.string(m.id()).string(m.peerAddress()).string(m.apiUrl());
        }
        w.i32(documents.size());
        for (Document d : documents) {
            w.string(d.key()).bytes(d.valueUnsafe()).string(d.etag()).i64(d.createRevision()).i64(d.modRevision());
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
        return w.toByteArray();
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
        if (r.hasRemaining()) {
            int section = r.u8("snapshot section");
            if (section != SECTION_API_TOKENS) {
                throw new MalformedDataException("unknown state snapshot section " + section);
            }
            int tokenCount = r.count("api tokens", 1_000_000);
            previous = null;
            for (int i = 0; i < tokenCount; i++) {
                ApiTokenRecord t = CommandCodec.readToken(r);
                previous = requireAscending(previous, t.id());
                tokens.add(t);
            }
        }
        r.requireEnd("state snapshot");
        return new Image(applied, roots, members, documents, artifacts, tokens);
    }

    private static String requireAscending(String previous, String next) {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new MalformedDataException("snapshot keys out of order at '" + next + "'");
        }
        return next;
    }
}
