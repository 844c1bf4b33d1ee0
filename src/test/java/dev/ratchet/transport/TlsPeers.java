package dev.ratchet.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Mutual-TLS dialer and acceptor for tests, standing in for the trust package: the peer id is the CN of
 * the certificate the other side presented. Loopback only.
 */
final class TlsPeers {

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private TlsPeers() {
    }

    static PeerDialer dialer(SSLContext context) {
        return (peerId, address, timeout) -> {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            try {
                socket.connect(address, (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                socket.startHandshake();
                String presented = peerIdOf(socket);
                if (!peerId.equals(presented)) {
                    throw new IOException("expected peer " + peerId + " but it presented " + presented);
                }
                socket.setSoTimeout(0);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }

    static Acceptor acceptor(SSLContext context) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setReuseAddress(true);
        server.setNeedClientAuth(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new Acceptor(server);
    }

    static String peerIdOf(SSLSocket socket) throws IOException {
        Certificate[] chain;
        try {
            chain = socket.getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new IOException("peer presented no certificate", e);
        }
        try {
            LdapName name = new LdapName(((X509Certificate) chain[0]).getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            throw new IOException("unparseable peer certificate subject", e);
        }
        throw new IOException("peer certificate has no CN");
    }

    /** Accepts, completes the handshake with a timeout, and names the peer from its certificate. */
    static final class Acceptor implements PeerAcceptor {

        private final SSLServerSocket server;

        Acceptor(SSLServerSocket server) {
            this.server = server;
        }

        @Override
        public AcceptedPeer accept() throws IOException {
            SSLSocket socket = (SSLSocket) server.accept();
            try {
                socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
                socket.startHandshake();
                String peerId = peerIdOf(socket);
                socket.setSoTimeout(0);
                return new AcceptedPeer(socket, peerId);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public boolean isClosed() {
            return server.isClosed();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

}
