package dev.ratchet.transport;

import java.util.List;
import java.util.function.Consumer;

/**
 * Loopback peer transports over plain sockets (the dialer names itself in a HELLO frame) for tests in
 * other packages that need the real wire without TLS. Not thread-safe; close it at the end of the test.
 */
public final class PlainTransports implements AutoCloseable {

    private final TestNodes nodes = TestNodes.plain();
    private final List<TestNode> started;

    /**
     * Starts one transport per id, all knowing each other's addresses; {@code beforeStart} sees each
     * transport before it starts (to set its consumer and handlers).
     */
    public PlainTransports(Consumer<PeerTransport> beforeStart, String... ids) throws Exception {
        this.started = nodes.startCluster(TransportConfig.defaults(), n -> beforeStart.accept(n.transport), ids);
    }

    public PeerTransport transport(String id) {
        return started.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow().transport;
    }

    @Override
    public void close() {
        nodes.close();
    }
}
