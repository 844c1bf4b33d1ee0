package dev.ratchet.failover;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between the nodes of a {@link LocalCluster#proxied proxied} cluster: one {@link FaultProxy}
 * per node and a {@link Link} per ordered pair of nodes, which tests cut, slow down, throttle and reset.
 * Everything stays on 127.0.0.0/8; {@link #close()} heals and stops every proxy.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class FaultyNetwork implements AutoCloseable {

    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<String, FaultProxy> proxies = new HashMap<>();
    private final Map<InetAddress, String> callers = new HashMap<>();
    private final List<String> nodeIds = new ArrayList<>();

    /** Starts a proxy for every node of {@code cluster}; call before the cluster starts. */
    FaultyNetwork(LocalCluster cluster) throws IOException {
        List<NodeProcess> nodes = cluster.nodes();
        for (int i = 1; i <= nodes.size(); i++) {
            NodeProcess n = nodes.get(i - 1);
            nodeIds.add(n.id());
            callers.put(InetAddress.getByName(LocalCluster.sourceHost(i)), n.id());
        }
        try {
            for (int i = 1; i <= nodes.size(); i++) {
                NodeProcess n = nodes.get(i - 1);
                InetSocketAddress listen = new InetSocketAddress(address(LocalCluster.proxiedPeerHost(i)), n.peerPort());
                InetSocketAddress target = new InetSocketAddress(address("127.0.0.1"), n.peerPort());
                proxies.put(n.id(), new FaultProxy(n.id(), listen, target, callers::get, this::link));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        InetAddress a = InetAddress.getByName(literal);
        FaultProxy.requireLoopback(a);
        return a;
    }

    Link link(String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("no link from a node to itself: " + from);
        }
        return links.computeIfAbsent(from + "->" + to, k -> new Link());
    }

    /** Stops traffic from {@code from} to {@code to} (one way). */
    void cut(String from, String to) {
        link(from, to).cut(true);
    }

    /** Stops traffic both ways between {@code a} and {@code b}. */
    void cutBoth(String a, String b) {
        cut(a, b);
        cut(b, a);
    }

    /** Cuts {@code node} off from every other node, both ways. */
    void isolate(String node) {
        for (String other : nodeIds) {
            if (!other.equals(node)) {
                cutBoth(node, other);
            }
        }
    }

    /** Lets traffic flow again from {@code from} to {@code to}. */
    void heal(String from, String to) {
        link(from, to).cut(false);
    }

    /** Removes every fault on every link. */
    void healAll() {
        links.values().forEach(Link::clear);
    }

    /** Delays each chunk from {@code from} to {@code to} by {@code delay} (order kept). */
    void delay(String from, String to, Duration delay) {
        link(from, to).delay(delay);
    }

    /** Limits traffic from {@code from} to {@code to}; 0 removes the limit. */
    void bandwidth(String from, String to, long bytesPerSecond) {
        link(from, to).bandwidth(bytesPerSecond);
    }

    /** Resets (TCP RST) every connection {@code from} has open to {@code to}; they may reconnect. */
    void reset(String from, String to) {
        FaultProxy proxy = proxies.get(to);
        if (proxy == null) {
            throw new IllegalArgumentException("no node " + to);
        }
        proxy.reset(from);
    }

    /** A description of every faulted link, for failure messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        links.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        healAll();
        proxies.values().forEach(FaultProxy::close);
    }
}
