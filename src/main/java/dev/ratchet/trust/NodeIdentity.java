package dev.ratchet.trust;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who a leaf certificate speaks for: a node id, carried as the SAN URI {@code ratchet://node/<id>},
 * plus the node's addresses as DNS or IP SANs.
 *
 * @param nodeId 1..64 characters from {@code [A-Za-z0-9._-]}
 * @param addresses at most {@link #MAX_ADDRESSES} IP literals or DNS names
 */
public record NodeIdentity(String nodeId, List<String> addresses) {
    /** Prefix of the SAN URI naming the node. */
    public static final String URI_PREFIX = "ratchet://node/";
    /** Limit on SAN addresses per leaf. */
    public static final int MAX_ADDRESSES = 16;

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");

    /** Validates the id and the addresses. */
    public NodeIdentity {
        requireValidNodeId(nodeId);
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("a node may name at most " + MAX_ADDRESSES + " addresses, got "
                    + addresses.size());
        }
        for (String address : addresses) {
            if (!isIpLiteral(address) && !DNS_NAME.matcher(address).matches()) {
                throw new IllegalArgumentException("address is neither an IP literal nor a DNS name: '" + address + "'");
            }
        }
    }

    /**
     * Checks a node id.
     *
     * @throws IllegalArgumentException if null or not 1..64 characters of {@code [A-Za-z0-9._-]}
     */
    public static String requireValidNodeId(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be 1..64 characters of [A-Za-z0-9._-], got '" + nodeId + "'");
        }
        return nodeId;
    }

    /** The SAN URI that names this node. */
    public String uri() {
        return URI_PREFIX + nodeId;
    }

    /** True for IPv4 dotted quads and anything with a colon (IPv6), which never resolve via DNS. */
    static boolean isIpLiteral(String address) {
        return IPV4.matcher(address).matches() || address.indexOf(':') >= 0;
    }

    /**
     * Reads the node id from a leaf's SAN URIs.
     *
     * @throws CertificateParsingException if there is not exactly one well-formed {@code ratchet://node/} URI
     */
    public static String nodeIdOf(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        String found = null;
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() == 2 && Integer.valueOf(6).equals(name.get(0)) && name.get(1) instanceof String uri
                        && uri.startsWith(URI_PREFIX)) {
                    if (found != null) {
                        throw new CertificateParsingException("leaf names more than one node");
                    }
                    found = uri.substring(URI_PREFIX.length());
                }
            }
        }
        if (found == null || !NODE_ID.matcher(found).matches()) {
            throw new CertificateParsingException("leaf carries no valid " + URI_PREFIX + "<id> SAN");
        }
        return found;
    }
}
