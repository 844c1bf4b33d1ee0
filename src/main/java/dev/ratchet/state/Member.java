package dev.ratchet.state;

import java.util.Objects;

/**
 * Where a cluster member can be reached: its Raft peer address ({@code host:port}) and the base URL of
 * its REST API. Whether it votes is Raft's business (the membership configuration), not this record's.
 */
public record Member(String id, String peerAddress, String apiUrl) {

    /** The longest node id. */
    public static final int MAX_ID_LENGTH = 63;

    public Member {
        requireValidId(id);
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(apiUrl, "apiUrl");
        if (peerAddress.length() > 300 || apiUrl.length() > 300) {
            throw new IllegalArgumentException("member address too long");
        }
    }

    /**
     * Node ids are DNS-label-like (letters, digits, '-', '.', '_', at most 63 characters) so that they
     * fit a certificate SAN, a metric label and a Kubernetes pod name.
     */
    public static String requireValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("node id must be 1.." + MAX_ID_LENGTH + " characters, was "
                    + (id == null ? "null" : "'" + id + "'"));
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("node id '" + id + "' has an invalid character '" + c
                        + "' (allowed: letters, digits, '-', '.', '_')");
            }
        }
        return id;
    }
}
