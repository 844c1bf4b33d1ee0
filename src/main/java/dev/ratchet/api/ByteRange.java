package dev.ratchet.api;

/**
 * One byte range of an HTTP {@code Range} request (RFC 9110 §14), resolved against the content length.
 * Only single ranges are served; a multi-range or malformed header is ignored (the whole content is sent,
 * which the RFC allows), an unsatisfiable one is refused with 416.
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
record ByteRange(long first, long last) {

    private static final int MAX_HEADER = 200;

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * @return the range to send, or null to send everything
     * @throws NotSatisfiableException if the range lies beyond the content
     */
    static ByteRange parse(String header, long size) {
        if (header == null || header.length() > MAX_HEADER) {
            return null;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                // bytes=-N: the last N bytes
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw new NotSatisfiableException();
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first < 0 || (!b.isEmpty() && last < first)) {
                return null;
            }
            if (first >= size) {
                throw new NotSatisfiableException();
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The range starts beyond the content; answered with 416. */
    static final class NotSatisfiableException extends RuntimeException {
        NotSatisfiableException() {
            super("the requested range lies beyond the content");
        }
    }
}
