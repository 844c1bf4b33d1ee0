package dev.ratchet.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback listener that accepts connections and never reads from them: a peer that stopped reading. */
final class StalledPeer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StalledPeer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = TransportThreads.start("stalled-peer-acceptor", () -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    int acceptedConnections() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        acceptor.join(TestTimeouts.eventually().toMillis());
    }
}
