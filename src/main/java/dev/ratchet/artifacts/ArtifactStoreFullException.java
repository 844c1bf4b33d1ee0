package dev.ratchet.artifacts;

import java.io.IOException;

/**
 * Storing more would pass the artifact store's quota or eat into the volume's free-space reserve.
 * {@link #property()} names the setting that refused it, for the operator.
 */
public final class ArtifactStoreFullException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String property;

    /** @param property {@code ratchet.artifacts.quota} or {@code ratchet.artifacts.min-free-space} */
    public ArtifactStoreFullException(String property, String message) {
        super(message);
        this.property = property;
    }

    /** The configuration property whose limit was reached. */
    public String property() {
        return property;
    }
}
