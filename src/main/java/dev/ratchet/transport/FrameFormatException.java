package dev.ratchet.transport;

import java.io.IOException;

/**
 * The bytes on a connection are not a valid frame: too large, truncated, of an unknown version or type,
 * or not allowed in that direction. The connection carrying them is closed; nothing else is affected.
 */
public final class FrameFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public FrameFormatException(String message) {
        super(message);
    }
}
