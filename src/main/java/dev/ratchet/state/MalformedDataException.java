package dev.ratchet.state;

/** Bytes that do not decode to a valid command or snapshot: truncated, oversized, or of an unknown form. */
public class MalformedDataException extends IllegalArgumentException {

    public MalformedDataException(String message) {
        super(message);
    }
}
