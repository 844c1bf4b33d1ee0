package dev.ratchet.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Unauthenticated dialer and acceptor for tests: the dialer announces its id in a HELLO frame and the
 * acceptor believes it. Loopback only.
 */
final class PlainPeers {

    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(2);

    private PlainPeers() {
    }

    static PeerDialer dialer(String localId) {
        FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
        return (peerId, address, timeout) -> {
            Socket socket = new Socket();
            try {
                socket.connect(address, (int) timeout.toMillis());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                codec.write(new Frame(FrameType.HELLO, 0, 0, localId.getBytes(StandardCharsets.UTF_8)), out);
                out.flush();
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }

    /** An acceptor on an ephemeral loopback port. */
    static Acceptor acceptor() throws IOException {
        return acceptor(0);
    }

    /** An acceptor on a given loopback port (0 for ephemeral). */
    static Acceptor acceptor(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new Acceptor(server);
    }

    /** Reads the HELLO frame to learn who dialed. */
    static final class Acceptor implements PeerAcceptor {

        private final ServerSocket server;
        private final FrameCodec codec = new FrameCodec(1024);

        Acceptor(ServerSocket server) {
            this.server = server;
        }

        @Override
        public AcceptedPeer accept() throws IOException {
            Socket socket = server.accept();
            try {
                socket.setSoTimeout((int) HELLO_TIMEOUT.toMillis());
                // DataInputStream does not read ahead: bytes after the hello stay for the transport's reader.
                Frame hello = codec.read(new DataInputStream(socket.getInputStream()));
                if (hello == null || hello.type() != FrameType.HELLO || hello.payload().length == 0) {
                    throw new IOException("expected a HELLO frame, got " + hello);
                }
                return new AcceptedPeer(socket, new String(hello.payload(), StandardCharsets.UTF_8));
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
