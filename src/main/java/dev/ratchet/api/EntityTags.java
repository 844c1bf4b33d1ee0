package dev.ratchet.api;

import dev.ratchet.state.Command;

/**
 * Parsing and formatting of HTTP entity tags (RFC 9110 §8.8.3). Ratchet's etags are strong; a weak
 * tag in {@code If-Match} never matches (strong comparison), so it is refused as a bad request rather
 * than silently failing every write.
 */
final class EntityTags {

    private static final int MAX_HEADER = 256;

    private EntityTags() {
    }

    /** The preconditions of a write: {@code ifMatch} (null, an etag or the wildcard) or create-only. */
    record WritePreconditions(String ifMatch, boolean createOnly) {
    }

    /**
     * Parses the {@code If-Match} and {@code If-None-Match} headers of a write (key or artifact); the two
     * cannot be combined.
     */
    static WritePreconditions parseWrite(String ifMatchHeader, String ifNoneMatchHeader) {
        String match = parseIfMatch(ifMatchHeader);
        boolean createOnly = parseCreateOnly(ifNoneMatchHeader);
        if (match != null && createOnly) {
            throw new BadRequestException("If-Match and If-None-Match cannot be combined on a write");
        }
        return new WritePreconditions(match, createOnly);
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    /**
     * Parses an {@code If-Match} header: null if absent, {@link Command#ANY_ETAG} for {@code *},
     * otherwise the unquoted tag.
     */
    static String parseIfMatch(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.equals("*")) {
            return Command.ANY_ETAG;
        }
        return parseSingle("If-Match", h);
    }

    /**
     * Parses {@code If-None-Match} on a write: only {@code *} (create only) is meaningful there.
     */
    static boolean parseCreateOnly(String header) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        throw new BadRequestException("If-None-Match on a write supports only '*' (create if absent)");
    }

    /** True if an {@code If-None-Match} header on a read matches the current etag (answer 304). */
    static boolean noneMatchHits(String header, String currentEtag) {
        if (header == null) {
            return false;
        }
        if (header.length() > MAX_HEADER * 16) {
            throw new BadRequestException("If-None-Match header too long");
        }
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.equals("*")) {
                return true;
            }
            if (p.startsWith("W/")) {
                p = p.substring(2); // weak comparison is what RFC 9110 prescribes for If-None-Match
            }
            if (p.equals(quote(currentEtag))) {
                return true;
            }
        }
        return false;
    }

    private static String parseSingle(String name, String h) {
        if (h.length() > MAX_HEADER) {
            throw new BadRequestException(name + " header too long");
        }
        if (h.startsWith("W/")) {
            throw new BadRequestException(name + " needs a strong entity tag; weak tags never match");
        }
        if (h.contains(",")) {
            throw new BadRequestException(name + " with several entity tags is not supported; send one");
        }
        if (h.length() < 2 || !h.startsWith("\"") || !h.endsWith("\"")) {
            throw new BadRequestException(name + " must be a quoted entity tag, e.g. \"3-ab12\"");
        }
        String inner = h.substring(1, h.length() - 1);
        if (inner.isEmpty() || inner.contains("\"")) {
            throw new BadRequestException(name + " holds a malformed entity tag");
        }
        if (inner.equals(Command.ANY_ETAG)) {
            // Quoted, "*" would be an entity tag of its own, which no document has; the wildcard is unquoted.
            throw new BadRequestException(name + ": \"*\" is not an entity tag; send * without quotes for 'any'");
        }
        return inner;
    }
}
