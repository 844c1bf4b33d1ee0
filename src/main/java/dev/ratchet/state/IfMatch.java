package dev.ratchet.state;

/**
 * The If-Match precondition of conditional writes to documents and artifacts, as HTTP defines it.
 * Stateless; thread-safe.
 */
final class IfMatch {

    private IfMatch() {
    }

    /**
     * Absent ({@code null}) holds always, {@link Command#ANY_ETAG} holds if anything exists, else the etags
     * must be equal; {@code currentEtag} is null when nothing exists.
     */
    static boolean holds(String ifMatch, String currentEtag) {
        if (ifMatch == null) {
            return true;
        }
        if (currentEtag == null) {
            return false;
        }
        return ifMatch.equals(Command.ANY_ETAG) || ifMatch.equals(currentEtag);
    }
}
