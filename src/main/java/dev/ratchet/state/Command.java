package dev.ratchet.state;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A change to the replicated state, carried in one Raft log entry. Preconditions (etags) are part of the
 * command and are checked when it is applied, so compare-and-set is decided in log order on every node.
 */
public sealed interface Command {

    /** The {@code ifMatch} value that holds whenever the target exists (HTTP {@code If-Match: *}). */
    String ANY_ETAG = "*";

    /**
     * Writes a document. {@code ifMatch} non-null: only if the current etag equals it ({@link #ANY_ETAG}:
     * only if the key exists).
     * {@code createOnly}: only if the key does not exist (HTTP {@code If-None-Match: *}).
     */
    record PutKey(String key, byte[] value, String ifMatch, boolean createOnly) implements Command {
        public PutKey {
            KeyPaths.requireValid(key);
            Objects.requireNonNull(value, "value");
            if (ifMatch != null && createOnly) {
                throw new IllegalArgumentException("If-Match and If-None-Match: * cannot be combined");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PutKey p && key.equals(p.key) && Arrays.equals(value, p.value)
                    && Objects.equals(ifMatch, p.ifMatch) && createOnly == p.createOnly;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, ifMatch, createOnly) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "PutKey[" + key + ", " + value.length + "B, ifMatch=" + ifMatch + ", createOnly=" + createOnly + "]";
        }
    }

    /** Deletes a document, only if its etag equals {@code ifMatch} when that is non-null. */
    record DeleteKey(String key, String ifMatch) implements Command {
        public DeleteKey {
            KeyPaths.requireValid(key);
        }
    }

    /**
     * Replaces the trust roots with a serialized bundle (format owned by the trust package). With
     * {@code previousSha256}, only if the roots in the state are still the ones the proposer started from
     * (their SHA-256): two root changes proposed concurrently (a scheduled rotation and a removal's
     * revocation) must not let the later one put back roots the earlier one dropped. Without it (null),
     * unconditionally.
     */
    record SetRoots(byte[] serializedRoots, byte[] previousSha256) implements Command {
        public SetRoots {
            Objects.requireNonNull(serializedRoots, "serializedRoots");
            if (previousSha256 != null && previousSha256.length != 32) {
                throw new IllegalArgumentException("previousSha256 must be 32 bytes, not " + previousSha256.length);
            }
        }

        /** An unconditional replacement. */
        public SetRoots(byte[] serializedRoots) {
            this(serializedRoots, null);
        }

        /** A replacement of exactly {@code previousSerialized} (the bytes the proposer read from the state). */
        public static SetRoots replacing(byte[] previousSerialized, byte[] serializedRoots) {
            return new SetRoots(serializedRoots, sha256(previousSerialized));
        }

        /** SHA-256 of a serialized bundle (of the empty array while the cluster has none). */
        public static byte[] sha256(byte[] serialized) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(serialized);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetRoots s && Arrays.equals(serializedRoots, s.serializedRoots)
                    && Arrays.equals(previousSha256, s.previousSha256);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(serializedRoots) + Arrays.hashCode(previousSha256);
        }

        @Override
        public String toString() {
            // The bundle holds private keys: never print its bytes.
            return "SetRoots[" + serializedRoots.length + "B" + (previousSha256 == null ? "" : ", conditional") + "]";
        }
    }

    /**
     * Names the cluster, once: the first one applied wins and later ones change nothing, so the founder
     * (or, in a cluster from before cluster ids, its next leader) can propose it without coordination.
     * A data directory records the id it joined and refuses to serve another cluster.
     */
    record SetClusterId(String clusterId) implements Command {
        public SetClusterId {
            requireValidClusterId(clusterId);
        }
    }

    /**
     * Checks a cluster id: 1..64 letters, digits or '-'.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static String requireValidClusterId(String clusterId) {
        if (clusterId == null || clusterId.isEmpty() || clusterId.length() > 64 || !clusterId.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
            throw new IllegalArgumentException("cluster id must be 1..64 letters, digits or '-': '" + clusterId + "'");
        }
        return clusterId;
    }

    /** Records (or updates) where a member listens: its peer address and its API URL. */
    record SetMember(Member member) implements Command {
        public SetMember {
            Objects.requireNonNull(member, "member");
        }
    }

    /** Forgets a member's addresses (Raft membership itself changes through a conf change). */
    record RemoveMember(String nodeId) implements Command {
        public RemoveMember {
            Member.requireValidId(nodeId);
        }
    }

    /** Publishes an artifact whose blob, with this SHA-256 etag and size, is held by {@code holder}. */
    record PutArtifact(String path, String etag, long size, String holder, String ifMatch, boolean createOnly)
            implements Command {
        public PutArtifact {
            KeyPaths.requireValid(path);
            if (!Etags.isSha256Hex(etag)) {
                throw new IllegalArgumentException("artifact etag must be 64 lower-case hex characters");
            }
            if (size < 0) {
                throw new IllegalArgumentException("artifact size must be >= 0");
            }
            Member.requireValidId(holder);
            if (ifMatch != null && createOnly) {
                throw new IllegalArgumentException("If-Match and If-None-Match: * cannot be combined");
            }
        }
    }

    /** Removes one artifact, only if its etag equals {@code ifMatch} when that is non-null. */
    record DeleteArtifact(String path, String ifMatch) implements Command {
        public DeleteArtifact {
            KeyPaths.requireValid(path);
        }
    }

    /** Removes every artifact whose path starts with the prefix (a whole tree when it ends in '/'). */
    record DeleteArtifactPrefix(String prefix) implements Command {
        public DeleteArtifactPrefix {
            KeyPaths.requireValidPrefix(prefix);
        }
    }

    /** Records an API token (created by an admin; the record holds only the secret's hash). */
    record PutApiToken(ApiTokenRecord token) implements Command {
        public PutApiToken {
            Objects.requireNonNull(token, "token");
        }
    }

    /** Revokes an API token: from this entry on, no node accepts it. */
    record RevokeApiToken(String id) implements Command {
        public RevokeApiToken {
            ApiTokenRecord.requireValidId(id);
        }
    }

    /** Records a minted join token (the record holds a salted derived key, never the secret). */
    record PutJoinToken(JoinTokenRecord token) implements Command {
        public PutJoinToken {
            Objects.requireNonNull(token, "token");
        }
    }

    /** Revokes a join token: from this entry on, it admits no one. */
    record RevokeJoinToken(String id) implements Command {
        public RevokeJoinToken {
            JoinTokenRecord.requireValidId(id);
        }
    }

    /**
     * Counts the admission of {@code raftId} with a join token (once per joiner); {@code atMillis} is the
     * leader's clock when it judged the token, so every replica applies the same expiry verdict without
     * reading a clock of its own.
     */
    record UseJoinToken(String id, long atMillis, String raftId) implements Command {
        public UseJoinToken {
            JoinTokenRecord.requireValidId(id);
            Objects.requireNonNull(raftId, "raftId");
        }
    }

    /**
     * Bars Raft ids (node id and incarnation) an admin removed: no join or refresh admits them again. A
     * new incarnation of the same node id (an empty data directory) still joins with a valid token.
     */
    record BarIncarnations(List<String> raftIds) implements Command {
        public BarIncarnations {
            raftIds = List.copyOf(raftIds);
            if (raftIds.isEmpty() || raftIds.size() > 64) {
                throw new IllegalArgumentException("bar 1 to 64 incarnations at a time");
            }
        }
    }

    /** Retires the configured bootstrap join token ({@code ratchet.join-token}) for good. */
    record RetireBootstrapToken() implements Command {
    }

    /** Most compares, and most operations per branch, one transaction may carry. */
    int MAX_TXN_ITEMS = 64;

    /**
     * Checks every compare against the state when applied; runs {@code success} if all hold, else
     * {@code failure}. The whole transaction is one log entry, so every node sees all its writes at one
     * revision or none of them. A branch may not name one key twice (its outcome would depend on order).
     */
    record Txn(List<TxnCompare> compares, List<TxnOp> success, List<TxnOp> failure) implements Command {
        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
            if (compares.size() > MAX_TXN_ITEMS) {
                throw new IllegalArgumentException("a transaction compares at most " + MAX_TXN_ITEMS + " keys, not "
                        + compares.size());
            }
            requireBranch("success", success);
            requireBranch("failure", failure);
        }

        private static void requireBranch(String name, List<TxnOp> ops) {
            if (ops.size() > MAX_TXN_ITEMS) {
                throw new IllegalArgumentException("the " + name + " branch has " + ops.size()
                        + " operations, more than " + MAX_TXN_ITEMS);
            }
            Set<String> keys = new HashSet<>();
            for (TxnOp op : ops) {
                if (!keys.add(op.key())) {
                    throw new IllegalArgumentException("the " + name + " branch names key '" + op.key() + "' twice");
                }
            }
        }
    }

    /**
     * Grants a lease of {@code ttlMillis}. Its id is the log index of this entry, so every node agrees on
     * it without coordination.
     */
    record GrantLease(long ttlMillis) implements Command {
        public GrantLease {
            if (ttlMillis < 1) {
                throw new IllegalArgumentException("a lease's TTL must be at least 1 ms");
            }
        }
    }

    /** Restarts a lease's countdown on the leader (the log carries it so any node can take it). */
    record KeepAliveLease(long leaseId) implements Command {
        public KeepAliveLease {
            if (leaseId < 1) {
                throw new IllegalArgumentException("lease id must be >= 1");
            }
        }
    }

    /**
     * Ends a lease and deletes every key attached to it. {@code expired} says the leader ended it because
     * its TTL ran out (watchers see "expire" instead of "delete").
     */
    record RevokeLease(long leaseId, boolean expired) implements Command {
        public RevokeLease {
            if (leaseId < 1) {
                throw new IllegalArgumentException("lease id must be >= 1");
            }
        }
    }
}
