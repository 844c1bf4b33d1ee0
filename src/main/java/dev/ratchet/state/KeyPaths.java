package dev.ratchet.state;

import java.nio.charset.StandardCharsets;

/**
 * Validation of key and artifact paths. Keys are slash-separated UTF-8 paths. Because artifact paths
 * become file names and key paths appear in URLs, the same rules keep both safe: no empty, "." or ".."
 * segment (no traversal), no leading or trailing slash, no control characters (NUL included), no
 * backslash, and at most {@link #MAX_PATH_BYTES} bytes of UTF-8.
 */
public final class KeyPaths {

    /** The longest key or artifact path, in UTF-8 bytes. */
    public static final int MAX_PATH_BYTES = 1024;

    private KeyPaths() {
    }

    /**
     * Checks a key or artifact path.
     *
     * @throws InvalidPathException naming what is wrong; the message is safe to show to a client
     */
    public static String requireValid(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new InvalidPathException(problem);
        }
        return path;
    }

    /** Checks a listing prefix: like a path, but empty is allowed and it may end with a slash. */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        String problem = problem(body);
        if (problem != null) {
            throw new InvalidPathException("prefix: " + problem);
        }
        return prefix;
    }

    /** Returns what is wrong with a path, or null if it is valid. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "path is empty";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return "path is longer than " + MAX_PATH_BYTES + " bytes of UTF-8";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "path contains a control character at position " + i;
            }
            if (c == '\\') {
                return "path contains a backslash at position " + i;
            }
            if (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < path.length()
                            && Character.isLowSurrogate(path.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(path.charAt(i - 1)))) {
                return "path is not valid UTF-16/UTF-8 at position " + i;
            }
        }
        if (path.startsWith("/")) {
            return "path must not start with '/'";
        }
        if (path.endsWith("/")) {
            return "path must not end with '/'";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "path has an empty segment ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "path has a '" + segment + "' segment";
            }
        }
        return null;
    }

    /** A path that breaks the rules above. */
    public static final class InvalidPathException extends IllegalArgumentException {
        public InvalidPathException(String message) {
            super(message);
        }
    }
}
