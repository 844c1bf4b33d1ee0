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
        parseHostPort(peerAddress);
        requireHttpUrl(apiUrl);
    }

    /** A peer address split into its parts. */
    public record HostPort(String host, int port) {
    }

    /**
     * Parses a peer address, {@code host:port} with a port in 1..65535 and a host without spaces or
     * slashes. Members are checked with it before they reach the log, because every replica dials what
     * it applies; the node dials with the parts.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostPort parseHostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("peer address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == '/' || c == '@' || c == '\\' || c == 0x7f) {
                throw new IllegalArgumentException("peer address '" + address + "' has an invalid host");
            }
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer address '" + address + "' has an invalid port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer address '" + address + "' has a port outside 1..65535");
        }
        return new HostPort(host, port);
    }

    static void requireHttpUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("API URL '" + url + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("API URL '" + url + "' must be an http(s) URL with a host");
        }
    }

    /**
     * Checks a Raft id: a node id, optionally followed by {@code '~'} and an incarnation of 1..32
     * lowercase letters and digits (see {@code dev.ratchet.join.RaftIds}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireValidRaftId(String raftId) {
        int at = raftId == null ? -1 : raftId.indexOf('~');
        if (at < 0) {
            return requireValidId(raftId);
        }
        requireValidId(raftId.substring(0, at));
        String incarnation = raftId.substring(at + 1);
        if (incarnation.isEmpty() || incarnation.length() > 32
                || !incarnation.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
            throw new IllegalArgumentException("Raft id '" + raftId + "' has an invalid incarnation"
                    + " (1-32 lowercase letters and digits after '~')");
        }
        return raftId;
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
