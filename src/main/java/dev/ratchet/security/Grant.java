package dev.ratchet.security;

import dev.ratchet.state.KeyPaths;
import java.util.Locale;
import java.util.Objects;

/**
 * One permission of a principal, written {@code <resource>:<access>:<prefix>} (etcd's role permissions
 * are the model): {@code kv:read:app/} reads every key under {@code app/}, {@code artifacts:write:builds/}
 * uploads and deletes artifacts under {@code builds/}, {@code kv:readwrite:} does both on every key (an
 * empty prefix is the whole space). The single word {@code admin} is the admin grant: every admin
 * operation and every data-plane operation. Prefixes compare as plain strings, so {@code app} also
 * covers {@code apple}; end a prefix with {@code /} to mean one tree. Immutable.
 *
 * @param resource what the grant is about; null for the admin grant
 * @param read may read (get, list)
 * @param write may write (put, delete, delete a prefix)
 * @param prefix the key or artifact path prefix covered; empty for all
 */
public record Grant(Resource resource, boolean read, boolean write, String prefix) {

    /** The admin grant. */
    public static final Grant ADMIN = new Grant(null, true, true, "");

    /** The resource a grant is about. */
    public enum Resource {
        KV, ARTIFACTS;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a request does. */
    public enum Access {
        READ, WRITE
    }

    public Grant {
        Objects.requireNonNull(prefix, "prefix");
        if (resource != null) {
            if (!read && !write) {
                throw new IllegalArgumentException("a grant must allow read, write or both");
            }
            KeyPaths.requireValidPrefix(prefix);
        }
    }

    /** True for the admin grant. */
    public boolean isAdmin() {
        return resource == null;
    }

    /**
     * Parses {@code admin} or {@code <kv|artifacts>:<read|write|readwrite>:<prefix>}.
     *
     * @throws IllegalArgumentException naming what is wrong (safe to show a client)
     */
    public static Grant parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a grant must not be null");
        }
        String t = text.strip();
        if (t.equals("admin")) {
            return ADMIN;
        }
        String[] parts = t.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("grant '" + text
                    + "' is not 'admin' or '<kv|artifacts>:<read|write|readwrite>:<prefix>'");
        }
        Resource resource = switch (parts[0]) {
            case "kv" -> Resource.KV;
            case "artifacts" -> Resource.ARTIFACTS;
            default -> throw new IllegalArgumentException("grant '" + text + "': resource must be kv or artifacts");
        };
        boolean read;
        boolean write;
        switch (parts[1]) {
            case "read" -> { read = true; write = false; }
            case "write" -> { read = false; write = true; }
            case "readwrite" -> { read = true; write = true; }
            default -> throw new IllegalArgumentException("grant '" + text + "': access must be read, write or readwrite");
        }
        try {
            return new Grant(resource, read, write, parts[2]);
        } catch (KeyPaths.InvalidPathException e) {
            throw new IllegalArgumentException("grant '" + text + "': " + e.getMessage());
        }
    }

    /** True when this grant lets {@code access} touch the one key or artifact {@code path}. */
    public boolean covers(Resource on, Access access, String path) {
        return isAdmin() || (resource == on && allows(access) && path.startsWith(prefix));
    }

    /** True when this grant lets {@code access} touch everything under {@code requestedPrefix}. */
    public boolean coversTree(Resource on, Access access, String requestedPrefix) {
        // A tree is inside the grant only if the grant's prefix is a prefix of the tree's.
        return covers(on, access, requestedPrefix);
    }

    private boolean allows(Access access) {
        return access == Access.READ ? read : write;
    }

    @Override
    public String toString() {
        if (isAdmin()) {
            return "admin";
        }
        return resource.word() + ":" + (read && write ? "readwrite" : read ? "read" : "write") + ":" + prefix;
    }
}
