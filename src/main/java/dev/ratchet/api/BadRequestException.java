package dev.ratchet.api;

/** A client error the API answers with 400 and this message. */
class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message);
    }
}
