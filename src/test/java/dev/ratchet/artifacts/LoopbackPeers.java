package dev.ratchet.artifacts;

import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.transport.PeerAcceptor;
import dev.ratchet.transport.PeerAddressBook;
import dev.ratchet.transport.PeerDialer;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.TransportConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer transports on loopback without TLS for artifact tests: a dialer announces its id in one
 * length-prefixed line and the acceptor believes it.
 */
final class LoopbackPeers implements AutoCloseable {

    private final List<PeerTransport> transports = new ArrayList<>();
    private final PeerAddressBook book = new PeerAddressBook();
    private final java.util.Map<PeerTransport, PeerAddressBook> books = new java.util.IdentityHashMap<>();

    /** Creates (not starts) one transport per id, all knowing each other. */
    List<PeerTransport> create(String... ids) throws IOException {
        List<PeerTransport> out = new ArrayList<>();
        for (String id : ids) {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PeerAddressBook own = new PeerAddressBook();
            PeerTransport t = new PeerTransport(id, acceptor(server), dialer(id), own, TransportConfig.defaults());
            book.put(id, (InetSocketAddress) server.getLocalSocketAddress());
            books.put(t, own);
            out.add(t);
            transports.add(t);
        }
        return out;
    }

    /** Gives every transport the addresses of all the others and starts it. */
    void start() {
        for (PeerTransport t : transports) {
            book.snapshot().forEach((id, address) -> {
                if (!id.equals(t.localId())) {
                    addressBookOf(t).put(id, address);
                }
            });
            t.start();
        }
    }

    private PeerAddressBook addressBookOf(PeerTransport t) {
        return books.get(t);
    }

    private static PeerDialer dialer(String localId) {
        return (peerId, address, timeout) -> {
            Socket socket = new Socket();
            socket.connect(address, (int) timeout.toMillis());
            byte[] id = localId.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(id.length);
            socket.getOutputStream().write(id);
            socket.getOutputStream().flush();
            return socket;
        };
    }

    private static PeerAcceptor acceptor(ServerSocket server) {
        return new PeerAcceptor() {
            @Override
            public AcceptedPeer accept() throws IOException {
                Socket socket = server.accept();
                socket.setSoTimeout(2000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] id = new byte[in.readUnsignedByte()];
                in.readFully(id);
                socket.setSoTimeout(0);
                return new AcceptedPeer(socket, new String(id, StandardCharsets.UTF_8));
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
        };
    }

    @Override
    public void close() {
        transports.forEach(PeerTransport::close);
    }
}
