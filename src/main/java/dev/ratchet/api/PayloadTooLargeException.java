package dev.ratchet.api;

/** A body larger than the configured limit; answered with 413. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(String message) {
        super(message);
    }
}
