package dev.ratchet.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the roots in the current {@link TrustRoots}, nothing from the JDK trust store.
 * A peer presents its leaf (extra certificates are ignored: only our own copies of the roots
 * count); the leaf must be signed by one of our roots, both must be valid at our clock's now, the
 * leaf must not be a CA, and it must name exactly one node that {@code acceptedPeer} accepts.
 * Thread-safe: it reads the roots through the supplier on every check, so new handshakes see an
 * update at once.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    /** Longest chain a peer may send: its leaf and, optionally, the root. */
    static final int MAX_CHAIN = 2;

    private final Supplier<TrustRoots> roots;
    private final Clock clock;
    private final Predicate<String> acceptedPeer;
    private final String expectation;
    private final Runnable onChain;

    /**
     * @param roots the roots trusted now
     * @param clock time for validity checks
     * @param acceptedPeer which node ids may be on the other side
     * @param expectation words for error messages, e.g. "node n2" or "a cluster member"
     */
    PeerTrustManager(Supplier<TrustRoots> roots, Clock clock, Predicate<String> acceptedPeer, String expectation) {
        this(roots, clock, acceptedPeer, expectation, () -> { });
    }

    /** As above; {@code onChain} is told whenever the peer sent a non-empty chain, before it is checked. */
    PeerTrustManager(Supplier<TrustRoots> roots, Clock clock, Predicate<String> acceptedPeer, String expectation,
            Runnable onChain) {
        this.onChain = Objects.requireNonNull(onChain);
        this.roots = Objects.requireNonNull(roots);
        this.clock = Objects.requireNonNull(clock);
        this.acceptedPeer = Objects.requireNonNull(acceptedPeer);
        this.expectation = Objects.requireNonNull(expectation);
    }

    /** Checks a peer chain and returns the node id its leaf names. */
    String verify(X509Certificate[] chain) throws PeerCertificateException {
        if (chain != null && chain.length > 0) {
            onChain.run();
        }
        if (chain == null || chain.length == 0 || chain.length > MAX_CHAIN) {
            throw new PeerCertificateException(HandshakeResult.BAD_CERTIFICATE,
                    "peer sent " + (chain == null ? 0 : chain.length) + " certificates, expected 1.." + MAX_CHAIN);
        }
        X509Certificate leaf = chain[0];
        Instant now = clock.instant();
        TrustRoot root = roots.get().issuerOf(leaf).orElseThrow(() -> new PeerCertificateException(
                HandshakeResult.UNKNOWN_ROOT, "leaf " + describe(leaf) + " is signed by none of our roots"));
        checkWindow(root.certificate(), now, "root " + root.shortId());
        checkWindow(leaf, now, "leaf " + describe(leaf));
        if (leaf.getBasicConstraints() >= 0) {
            throw new PeerCertificateException(HandshakeResult.BAD_CERTIFICATE, "peer presented a CA certificate as leaf");
        }
        String nodeId;
        try {
            nodeId = NodeIdentity.nodeIdOf(leaf);
        } catch (CertificateParsingException e) {
            throw new PeerCertificateException(HandshakeResult.BAD_CERTIFICATE,
                    "leaf " + describe(leaf) + ": " + e.getMessage());
        }
        if (!acceptedPeer.test(nodeId)) {
            throw new PeerCertificateException(HandshakeResult.WRONG_IDENTITY,
                    "leaf names node '" + nodeId + "', expected " + expectation);
        }
        return nodeId;
    }

    private static void checkWindow(X509Certificate certificate, Instant now, String what)
            throws PeerCertificateException {
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new PeerCertificateException(HandshakeResult.NOT_YET_VALID,
                    what + " is valid only from " + certificate.getNotBefore().toInstant() + ", now is " + now);
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new PeerCertificateException(HandshakeResult.EXPIRED,
                    what + " expired at " + certificate.getNotAfter().toInstant() + ", now is " + now);
        }
    }

    private static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " #" + certificate.getSerialNumber().toString(16);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.get().roots().stream().map(TrustRoot::certificate).toArray(X509Certificate[]::new);
    }
}
