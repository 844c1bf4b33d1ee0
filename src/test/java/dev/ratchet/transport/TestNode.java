package dev.ratchet.transport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One transport under test with its own address book and a record of every message it received.
 * Close it (or the {@link TestNodes} that made it) at the end of the test.
 */
final class TestNode implements AutoCloseable {

    /** A message as the consumer saw it. */
    record Received(String from, String text) {
    }

    final String id;
    final PeerTransport transport;
    final PeerAddressBook addressBook;
    final List<Received> received = new CopyOnWriteArrayList<>();

    TestNode(String id, PeerAcceptor acceptor, PeerDialer dialer, PeerAddressBook addressBook,
            TransportConfig config) {
        this.id = id;
        this.addressBook = addressBook;
        this.transport = new PeerTransport(id, acceptor, dialer, addressBook, config);
        transport.setMessageConsumer(
                (peerId, payload) -> received.add(new Received(peerId, new String(payload, StandardCharsets.UTF_8))));
    }

    InetSocketAddress address() {
        return transport.localAddress();
    }

    boolean send(String peerId, String text) {
        return transport.send(peerId, text.getBytes(StandardCharsets.UTF_8));
    }

    List<String> textsFrom(String peerId) {
        return received.stream().filter(r -> r.from().equals(peerId)).map(Received::text).toList();
    }

    TransportStats.PeerStats stats(String peerId) {
        return transport.stats().peer(peerId);
    }

    @Override
    public void close() {
        transport.close();
    }
}
