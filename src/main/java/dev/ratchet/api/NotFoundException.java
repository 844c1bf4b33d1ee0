package dev.ratchet.api;

/** The key or artifact does not exist; answered with 404. */
class NotFoundException extends RuntimeException {

    NotFoundException(String message) {
        super(message);
    }
}
