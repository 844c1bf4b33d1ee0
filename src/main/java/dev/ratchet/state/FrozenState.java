package dev.ratchet.state;

import java.util.List;

/**
 * The whole replicated state as of one applied index, captured by {@link ClusterState#capture} in O(1) for
 * the documents, the artifacts and each lease's keys (immutable maps shared with the live state), and by
 * copying the small tables (members, tokens, the lease list). Nothing the live state does later changes it. Immutable; {@link #encode} may run on any thread,
 * any time later, and blocks only for the CPU it takes (a second or more for a state of hundreds of MB).
 */
public final class FrozenState {

    private final long appliedIndex;
    private final byte[] roots;
    private final List<Member> members;
    private final PersistentSortedMap<String, Document> documents;
    private final PersistentSortedMap<String, ArtifactRecord> artifacts;
    private final List<ApiTokenRecord> apiTokens;
    private final List<Leases.FrozenLease> leases;
    private final String clusterId;
    private final List<JoinTokenRecord> joinTokens;
    private final boolean bootstrapRetired;
    private final List<String> barred;

    /** The lists must be copies nothing else changes; the roots array is never written to once applied. */
    FrozenState(long appliedIndex, byte[] roots, List<Member> members, PersistentSortedMap<String, Document> documents,
            PersistentSortedMap<String, ArtifactRecord> artifacts, List<ApiTokenRecord> apiTokens, List<Leases.FrozenLease> leases,
            String clusterId, List<JoinTokenRecord> joinTokens, boolean bootstrapRetired, List<String> barred) {
        this.appliedIndex = appliedIndex;
        this.roots = roots;
        this.members = members;
        this.documents = documents;
        this.artifacts = artifacts;
        this.apiTokens = apiTokens;
        this.leases = leases;
        this.clusterId = clusterId;
        this.joinTokens = joinTokens;
        this.bootstrapRetired = bootstrapRetired;
        this.barred = barred;
    }

    /** The index of the last entry applied to the state captured. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The deterministic snapshot image ({@link ClusterState#restore} reads it back). */
    public byte[] encode() {
        return StateSnapshotCodec.encode(appliedIndex, roots, members, documents.values(), artifacts.values(),
                apiTokens, leases(), clusterId, joinTokens, bootstrapRetired, barred);
    }

    /** The leases with their keys, built here rather than at capture: O(leased keys), off the Raft loop. */
    private List<Lease> leases() {
        return leases.stream().map(Leases.FrozenLease::toLease).toList();
    }

    /**
     * The image a backup holds: {@code rootsToWrite} in place of the roots, and no join tokens (both admit
     * into the cluster).
     */
    byte[] encodeForBackup(byte[] rootsToWrite) {
        return StateSnapshotCodec.encode(appliedIndex, rootsToWrite, members, documents.values(), artifacts.values(),
                apiTokens, leases(), clusterId, List.of(), false, List.of());
    }
}
