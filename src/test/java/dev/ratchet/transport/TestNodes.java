package dev.ratchet.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Builds small loopback clusters of {@link TestNode}s that know each other's addresses, over plain
 * sockets or mutual TLS; closes them all at the end.
 */
final class TestNodes implements AutoCloseable {

    private final List<TestNode> nodes = new ArrayList<>();
    private final TestCertificateAuthority authority;

    private TestNodes(TestCertificateAuthority authority) {
        this.authority = authority;
    }

    static TestNodes plain() {
        return new TestNodes(null);
    }

    static TestNodes tls() throws Exception {
        return new TestNodes(new TestCertificateAuthority("ratchet-test-ca"));
    }

    /** Starts one node per id, all knowing each other. */
    List<TestNode> startCluster(TransportConfig config, Consumer<TestNode> beforeStart, String... ids)
            throws Exception {
        List<TestNode> cluster = new ArrayList<>();
        for (String id : ids) {
            cluster.add(create(id, config));
        }
        for (TestNode node : cluster) {
            for (TestNode other : cluster) {
                node.addressBook.put(other.id, other.address());
            }
        }
        for (TestNode node : cluster) {
            beforeStart.accept(node);
            node.transport.start();
        }
        return cluster;
    }

    /** A node listening on an ephemeral port (plain sockets only for a fixed port, see {@link #createPlainOnPort}). */
    TestNode create(String id, TransportConfig config) throws Exception {
        TestNode node;
        if (authority == null) {
            node = new TestNode(id, PlainPeers.acceptor(), PlainPeers.dialer(id), new PeerAddressBook(), config);
        } else {
            SSLContext context = authority.contextFor(id);
            node = new TestNode(id, TlsPeers.acceptor(context), TlsPeers.dialer(context), new PeerAddressBook(),
                    config);
        }
        nodes.add(node);
        return node;
    }

    TestNode createPlainOnPort(String id, int port, TransportConfig config, Map<String, java.net.InetSocketAddress> peers)
            throws IOException {
        TestNode node = new TestNode(id, PlainPeers.acceptor(port), PlainPeers.dialer(id), new PeerAddressBook(),
                config);
        peers.forEach(node.addressBook::put);
        nodes.add(node);
        return node;
    }

    SSLContext tlsContextFor(String id) throws Exception {
        return authority.contextFor(id);
    }

    @Override
    public void close() {
        nodes.forEach(TestNode::close);
    }
}
