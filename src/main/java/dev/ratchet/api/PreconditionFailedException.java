package dev.ratchet.api;

/** An If-Match / If-None-Match precondition failed; answered with 412 and the current etag, if any. */
class PreconditionFailedException extends RuntimeException {

    private final String currentEtag;

    PreconditionFailedException(String target, String currentEtag) {
        super(currentEtag == null
                ? "precondition failed: '" + target + "' does not exist"
                : "precondition failed: '" + target + "' has etag \"" + currentEtag + "\"");
        this.currentEtag = currentEtag;
    }

    String currentEtag() {
        return currentEtag;
    }
}
