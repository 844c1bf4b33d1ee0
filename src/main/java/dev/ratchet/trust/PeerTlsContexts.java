package dev.ratchet.trust;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Mutual-TLS (TLS 1.3, JSSE) connections between peers with root iteration, the fix from the
 * design seed for nodes that missed root rotations.
 *
 * <p>Dialing ({@link #connect}): present the leaf of the newest root (or of the root that last
 * worked with that peer); on a failed handshake try the next older root, wrapping around, up to a
 * bounded number of attempts. Accepting ({@link #accept}): present the leaf of the current root;
 * move to the next older root after {@code max(len(roots), maxTrustRoots + 1)} consecutive
 * handshakes in which the dialer refused our certificate (other failures do not count: see
 * {@link HandshakeFailures#dialerRefusedOurLeaf}; the seed's {@code len(roots)} whenever the list is
 * full; see {@link RootIteration} for why not less); after the oldest, log one error and wrap. Both sides trust exactly the current roots. The dialer checks that the peer's
 * leaf names the expected node; the acceptor refuses leaves naming non-members and reports the
 * peer's node id.
 *
 * <p>After its handshake succeeds the acceptor writes one byte {@link #ACCEPTED}, which the dialer
 * reads before returning: in TLS 1.3 the client finishes before the server has checked the
 * client's certificate, so without it a refused client would only notice at its first read. The
 * transport's own bytes follow.
 *
 * <p>Thread-safe: any number of threads may connect and accept at once; {@link #update} takes
 * effect for handshakes that start after it, and established connections live on. Methods block
 * on network I/O, bounded by the given timeouts.
 */
public final class PeerTlsContexts {
    /** Byte the acceptor sends when it has authenticated the dialer. */
    public static final int ACCEPTED = 0x52;
    /** Hard limit on dial attempts per {@link #connect} call. */
    public static final int MAX_ATTEMPTS_LIMIT = TrustRoots.MAX_ROOTS * TrustRoots.MAX_ROOTS;

    private static final Logger LOG = Logger.getLogger(PeerTlsContexts.class.getName());
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final LeafCertificates leaves;
    private final TrustSettings settings;
    private final Predicate<String> isMember;
    private final HandshakeListener listener;
    private final RootIteration.Client clientIteration = new RootIteration.Client();
    private final RootIteration.Server serverIteration = new RootIteration.Server();
    private final java.util.concurrent.ConcurrentMap<String, RootInUse> rootsInUse =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile TrustRoots roots;
    private volatile java.net.InetAddress sourceAddress;

    /**
     * The root whose leaf this node presented in its latest successful handshake with a peer.
     *
     * @param side our side of that handshake
     * @param rootFingerprint fingerprint of the root that signed our leaf
     */
    public record RootInUse(HandshakeSide side, String rootFingerprint) {
    }

    /**
     * @param leaves this node's leaves; its clock is also the clock for checking peers
     * @param roots the roots trusted at start
     * @param settings used for the default attempt bound
     * @param isMember which node ids may dial us; the transport may check membership again
     * @param listener receives every handshake outcome
     */
    public PeerTlsContexts(LeafCertificates leaves, TrustRoots roots, TrustSettings settings,
            Predicate<String> isMember, HandshakeListener listener) {
        this.leaves = Objects.requireNonNull(leaves, "leaves");
        this.roots = Objects.requireNonNull(roots, "roots");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.isMember = Objects.requireNonNull(isMember, "isMember");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The roots trusted now. */
    public TrustRoots roots() {
        return roots;
    }

    /**
     * Makes outbound peer connections leave from {@code source} (an ephemeral port on that address)
     * instead of the address the OS picks, so firewall rules and fault-injecting proxies can tell the
     * nodes apart; null restores the default. Affects dials that start later.
     */
    public void dialFrom(java.net.InetAddress source) {
        sourceAddress = source;
    }

    /** This node's id. */
    public String nodeId() {
        return leaves.identity().nodeId();
    }

    /**
     * Switches to new roots without a restart: handshakes that start later trust and present only
     * these; both iterations start again from the newest root.
     */
    public void update(TrustRoots newRoots) {
        Objects.requireNonNull(newRoots, "newRoots");
        roots = newRoots;
        leaves.retainOnly(newRoots);
        clientIteration.reset();
        serverIteration.reset();
    }

    /**
     * Default bound on dial attempts: {@code w^2 + w} with {@code w = max(len(roots), maxTrustRoots + 1)}.
     * Both iterations meet on a common root within {@code w^2} attempts from a fresh start; the
     * extra {@code w} covers an acceptor caught in the middle of its count of failures.
     */
    public int defaultMaxAttempts() {
        int width = lingerFor(roots);
        return Math.min(width * width + width, MAX_ATTEMPTS_LIMIT);
    }

    /** Failures the acceptor takes on one root before the next: see {@link RootIteration}. */
    int lingerFor(TrustRoots current) {
        return Math.max(current.size(), settings.rootListLimit());
    }

    /** {@link #connect(String, int, String, Duration, int)} with {@link #defaultMaxAttempts()}. */
    public PeerConnection connect(String host, int port, String expectedPeerId, Duration timeout) throws IOException {
        return connect(host, port, expectedPeerId, timeout, defaultMaxAttempts());
    }

    /**
     * Dials a peer and authenticates it, iterating over the roots on handshake failure.
     *
     * @param timeout bound on each attempt's TCP connect and on its handshake
     * @param maxAttempts handshake attempts at most (1..{@link #MAX_ATTEMPTS_LIMIT})
     * @throws PeerHandshakeException when no attempt succeeded; carries the last reason and the count
     * @throws IOException when the TCP connection itself fails (no root would help)
     */
    public PeerConnection connect(String host, int port, String expectedPeerId, Duration timeout, int maxAttempts)
            throws IOException {
        NodeIdentity.requireValidNodeId(expectedPeerId);
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("maxAttempts must be 1.." + MAX_ATTEMPTS_LIMIT + ", got " + maxAttempts);
        }
        int timeoutMillis = timeoutMillis(timeout);
        String peerKey = host + ":" + port + "/" + expectedPeerId;
        TrustRoots current = roots;
        int index = clientIteration.start(peerKey, current);
        HandshakeResult lastReason = HandshakeResult.IO_ERROR;
        Exception lastFailure = null;
        int attempt = 0;
        int unusableInARow = 0;
        while (attempt < maxAttempts) {
            TrustRoot root = current.get(index);
            Optional<LeafCertificate> leaf = leaves.leafFor(root);
            index = (index + 1) % current.size();
            if (leaf.isEmpty()) {
                // A root we cannot sign with at our clock (expired, or not valid yet) is skipped
                // without contacting the peer, so it costs no attempt and does not move the peer's ratchet.
                if (++unusableInARow >= current.size()) {
                    report(HandshakeSide.CLIENT, root, HandshakeResult.NO_LEAF);
                    throw new PeerHandshakeException("none of our " + current.size()
                            + " roots can sign a leaf at this node's clock", HandshakeResult.NO_LEAF, attempt, null);
                }
                continue;
            }
            unusableInARow = 0;
            attempt++;
            try {
                SSLSocket socket = dialOnce(host, port, expectedPeerId, leaf.get(), current, timeoutMillis);
                clientIteration.remember(peerKey, root.fingerprint());
                rememberInUse(expectedPeerId, new RootInUse(HandshakeSide.CLIENT, root.fingerprint()));
                report(HandshakeSide.CLIENT, root, HandshakeResult.OK);
                return new PeerConnection(socket, expectedPeerId, root.fingerprint(), attempt);
            } catch (TcpConnectException e) {
                throw e.getCause();
            } catch (IOException e) {
                lastReason = HandshakeFailures.classify(e);
                lastFailure = e;
                report(HandshakeSide.CLIENT, root, lastReason);
            }
            clientIteration.remember(peerKey, current.get(index).fingerprint());
        }
        throw new PeerHandshakeException("no handshake with node '" + expectedPeerId + "' at " + host + ":" + port
                + " after " + maxAttempts + " attempts over " + current.size() + " roots; last failure "
                + lastReason, lastReason, maxAttempts, lastFailure);
    }

    /**
     * Accepts one connection from {@code server} and authenticates the dialer.
     *
     * @param handshakeTimeout overall bound on the handshake once the TCP connection is accepted
     * @throws PeerHandshakeException when the handshake failed (the socket is closed; accept again)
     * @throws IOException when accepting itself failed (e.g. the server socket was closed)
     */
    public PeerConnection accept(ServerSocket server, Duration handshakeTimeout) throws IOException {
        Socket plain = server.accept();
        return handshakeAccepted(plain, handshakeTimeout);
    }

    /**
     * Runs the acceptor side on an already accepted TCP connection, for transports that accept
     * themselves. Closes {@code plain} on failure.
     *
     * <p>{@code handshakeTimeout} is an overall deadline from this call to an authenticated peer, not
     * only a bound on each read: a client that dribbles bytes is cut off when it passes.
     *
     * <p>Only a failure that says the dialer refused the leaf we presented (a certificate alert, or a
     * dropped connection, after our leaf and before its own) moves the acceptor's root ratchet (see
     * {@link HandshakeFailures#dialerRefusedOurLeaf}): a connection that never reached our leaf (junk
     * bytes, a plain TCP client, a timeout) or that got past it (no client certificate, a leaf from a
     * root we do not hold, a non-member) would be refused just the same under any other root of ours,
     * so it is counted for the metrics but leaves the ratchet and its "share no root" error alone.
     *
     * @throws PeerHandshakeException when the handshake failed
     */
    public PeerConnection handshakeAccepted(Socket plain, Duration handshakeTimeout) throws IOException {
        int timeoutMillis = timeoutMillis(handshakeTimeout);
        TrustRoots current = roots;
        TrustRoot root = current.get(serverIteration.current(current));
        Optional<LeafCertificate> usable = leaves.leafFor(root);
        // Roots we cannot sign with at our clock are passed over at once, as the dialer does.
        for (int skipped = 1; usable.isEmpty() && skipped < current.size(); skipped++) {
            serverIteration.skip(current);
            root = current.get(serverIteration.current(current));
            usable = leaves.leafFor(root);
        }
        TrustRoot presented = root;
        SSLSocket socket = null;
        HandshakeFailures.Progress progress = new HandshakeFailures.Progress();
        try (HandshakeDeadline deadline = HandshakeDeadline.start(plain, handshakeTimeout)) {
            try {
                LeafCertificate leaf = usable.orElseThrow(() -> new PeerHandshakeException(
                        "none of our " + current.size() + " roots can sign a leaf at this node's clock",
                        HandshakeResult.NO_LEAF, 1, null));
                PeerTrustManager trust = new PeerTrustManager(() -> roots, leaves.clock(), isMember, "a cluster member",
                        progress::dialerCertificateArrived);
                plain.setSoTimeout(timeoutMillis);
                plain.setTcpNoDelay(true);
                socket = (SSLSocket) context(new LeafKeyManager(leaf, progress::leafPresented), trust)
                        .getSocketFactory().createSocket(plain, null, true);
                socket.setUseClientMode(false);
                socket.setEnabledProtocols(PROTOCOLS);
                socket.setNeedClientAuth(true);
                socket.startHandshake();
                String peer = peerNodeId(socket);
                socket.getOutputStream().write(ACCEPTED);
                socket.getOutputStream().flush();
                if (!deadline.finish()) {
                    throw new java.net.SocketTimeoutException("the handshake deadline passed as it finished");
                }
                socket.setSoTimeout(0);
                serverIteration.onSuccess();
                rememberInUse(peer, new RootInUse(HandshakeSide.SERVER, presented.fingerprint()));
                report(HandshakeSide.SERVER, presented, HandshakeResult.OK);
                return new PeerConnection(socket, peer, presented.fingerprint(), 1);
            } catch (IOException e) {
                closeQuietly(socket != null ? socket : plain);
                HandshakeResult reason = deadline.expired() ? HandshakeResult.TIMEOUT
                        : e instanceof PeerHandshakeException p ? p.reason() : HandshakeFailures.classify(e);
                report(HandshakeSide.SERVER, presented, reason);
                if (!deadline.expired() && HandshakeFailures.dialerRefusedOurLeaf(progress, e)) {
                    countRatchetFailure(current, reason);
                }
                if (e instanceof PeerHandshakeException p) {
                    throw p;
                }
                throw new PeerHandshakeException("handshake with a dialer failed: " + reason, reason, 1, e);
            }
        }
    }

    private void countRatchetFailure(TrustRoots current, HandshakeResult reason) {
        int linger = lingerFor(current);
        if (serverIteration.onFailure(current, linger)) {
            LOG.severe(() -> "TLS acceptor of node " + nodeId() + " presented each of its " + current.size()
                    + " trust roots for " + linger + " consecutive handshakes that the dialer refused"
                    + " (last failure " + reason + "); peers may share no root with us. Starting again with"
                    + " the newest root.");
        }
    }

    private SSLSocket dialOnce(String host, int port, String expectedPeerId, LeafCertificate leaf, TrustRoots current,
            int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            // Handshake flights are small; Nagle plus delayed ACKs would add ~40 ms to each one.
            plain.setTcpNoDelay(true);
            java.net.InetAddress source = sourceAddress;
            if (source != null) {
                plain.bind(new InetSocketAddress(source, 0));
            }
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new TcpConnectException(e);
        }
        SSLSocket socket = null;
        try {
            plain.setSoTimeout(timeoutMillis);
            PeerTrustManager trust = new PeerTrustManager(() -> current, leaves.clock(), expectedPeerId::equals,
                    "node '" + expectedPeerId + "'");
            socket = (SSLSocket) context(new LeafKeyManager(leaf), trust).getSocketFactory()
                    .createSocket(plain, host, port, true);
            socket.setUseClientMode(true);
            socket.setEnabledProtocols(PROTOCOLS);
            socket.startHandshake();
            int answer = socket.getInputStream().read();
            if (answer != ACCEPTED) {
                throw new EOFException("acceptor closed the connection instead of accepting us (read " + answer + ")");
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket != null ? socket : plain);
            throw e;
        }
    }

    private static SSLContext context(LeafKeyManager leaf, PeerTrustManager trust) throws IOException {
        try {
            // A fresh context per handshake: no session cache, so every connection is a full
            // handshake checked against the roots of that moment.
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(new KeyManager[] {leaf}, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS 1.3 context", e);
        }
    }

    private static String peerNodeId(SSLSocket socket) throws IOException {
        try {
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return NodeIdentity.nodeIdOf(leaf);
        } catch (CertificateParsingException e) {
            throw new SSLException("authenticated peer leaf lost its node id", e);
        }
    }

    /**
     * By peer node id, the root this node presented in its latest successful handshake with it (the
     * connection in use, as both sides keep one): for the admin API. A copy; thread-safe.
     */
    public java.util.Map<String, RootInUse> rootsInUse() {
        return java.util.Map.copyOf(rootsInUse);
    }

    private void rememberInUse(String peer, RootInUse inUse) {
        if (rootsInUse.size() >= RootIteration.Client.MAX_PEERS && !rootsInUse.containsKey(peer)) {
            rootsInUse.clear();
        }
        rootsInUse.put(peer, inUse);
    }

    private void report(HandshakeSide side, TrustRoot root, HandshakeResult result) {
        try {
            listener.onHandshake(side, root.fingerprint(), result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handshake listener failed; outcome not counted", e);
        }
    }

    private static int timeoutMillis(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive and under 24 days, got " + timeout);
        }
        return (int) Math.max(1, timeout.toMillis());
    }

    private static void closeQuietly(Socket socket) {
        try {
            // JSSE drains TLS 1.3 input on close for up to the read timeout; an abandoned socket needs no drain.
            socket.setSoTimeout(1);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to save on a socket we are abandoning.
        }
    }

    /** Marks a TCP-level connect failure, which no other root could fix. */
    private static final class TcpConnectException extends IOException {
        private static final long serialVersionUID = 1L;

        TcpConnectException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
