package dev.ratchet.trust;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A peer that presents one fixed leaf and trusts anything, so the node under test is the only
 * side that can refuse: whatever it refuses, it refuses on its own checks.
 */
final class Impostor implements AutoCloseable {
    private final SSLContext context;
    private ServerSocket server;
    private Thread acceptor;
    final AtomicInteger handshakesSeen = new AtomicInteger();

    Impostor(LeafCertificate leaf) throws Exception {
        context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] {new LeafKeyManager(leaf)}, new TrustManager[] {new TrustAll()}, null);
    }

    /** Dials {@code port} as {@link PeerTlsContexts} would; true only if the acceptor accepted us. */
    boolean dial(int port) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TlsNode.TIMEOUT.toMillis());
            plain.setSoTimeout((int) TlsNode.TIMEOUT.toMillis());
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            return socket.getInputStream().read() == PeerTlsContexts.ACCEPTED;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Starts accepting on loopback; returns the port. */
    int listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket plain = server.accept()) {
                    plain.setSoTimeout((int) TlsNode.TIMEOUT.toMillis());
                    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
                    socket.setUseClientMode(false);
                    socket.setNeedClientAuth(true);
                    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
                    handshakesSeen.incrementAndGet();
                    socket.startHandshake();
                    socket.getOutputStream().write(PeerTlsContexts.ACCEPTED);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // refused by the dialer, as expected; keep accepting until closed
                }
            }
        }, "impostor-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
            acceptor.join(TlsNode.TIMEOUT.toMillis());
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
