package dev.ratchet.state;

import java.util.Arrays;
import java.util.Objects;

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

    /** Replaces the trust roots with a serialized bundle (format owned by the trust package). */
    record SetRoots(byte[] serializedRoots) implements Command {
        public SetRoots {
            Objects.requireNonNull(serializedRoots, "serializedRoots");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetRoots s && Arrays.equals(serializedRoots, s.serializedRoots);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(serializedRoots);
        }

        @Override
        public String toString() {
            // The bundle holds private keys: never print its bytes.
            return "SetRoots[" + serializedRoots.length + "B]";
        }
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
}
