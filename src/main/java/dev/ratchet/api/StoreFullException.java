package dev.ratchet.api;

/** A write that would take the documents past the store's quota; answered with 507 Insufficient Storage. */
class StoreFullException extends RuntimeException {

    StoreFullException(String message) {
        super(message);
    }
}
