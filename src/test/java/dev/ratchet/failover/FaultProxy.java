package dev.ratchet.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A TCP proxy on a loopback address in front of one node's peer listener. Each accepted connection is
 * relayed to the node; the direction caller → node follows the {@link Link} from the caller to this
 * node, the answers follow the link back. The caller is recognised by the source address it dials from
 * (see {@code ratchet.peer.source-host}); an unknown caller's links are never faulted.
 *
 * <p>Per direction, a reader thread timestamps chunks into a bounded queue and a writer delivers each
 * one after the link's delay, waits while the link is cut and paces to its bandwidth, so order is kept
 * and a stalled direction pushes back on the sender exactly as a full TCP window would.
 */
final class FaultProxy implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 256;

    private final String nodeId;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Function<InetAddress, String> callerOf;
    private final BiFunction<String, String, Link> links;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * @param nodeId the node behind this proxy
     * @param listen where peers dial (the node's advertised peer address)
     * @param target the node's real peer listener
     * @param callerOf node id for a caller's source address, or null when unknown
     * @param links the link for (from, to)
     */
    FaultProxy(String nodeId, InetSocketAddress listen, InetSocketAddress target, Function<InetAddress, String> callerOf,
            BiFunction<String, String, Link> links) throws IOException {
        requireLoopback(listen.getAddress());
        requireLoopback(target.getAddress());
        this.nodeId = nodeId;
        this.target = target;
        this.callerOf = callerOf;
        this.links = links;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 64);
        acceptor = new Thread(this::acceptLoop, "fault-proxy-" + nodeId);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static void requireLoopback(InetAddress address) {
        if (address == null || !address.isLoopbackAddress()) {
            throw new IllegalArgumentException("fault injection stays on 127.0.0.0/8, not " + address);
        }
    }

    /** Connections currently relayed. */
    int connections() {
        return relays.size();
    }

    /** Resets (RST) every relayed connection from {@code caller}; new connections are accepted again. */
    void reset(String caller) {
        for (Relay r : relays) {
            if (caller.equals(r.caller)) {
                r.abort();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy for " + nodeId + " stopped accepting: " + e);
                }
                return;
            }
            try {
                client.setTcpNoDelay(true);
                Socket upstream = new Socket();
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 2_000);
                String caller = callerOf.apply(client.getInetAddress());
                Relay relay = new Relay(caller, client, upstream);
                relays.add(relay);
                relay.start();
            } catch (IOException e) {
                // The node is down: refuse the caller the way a closed port would.
                abortQuietly(client);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        relays.forEach(Relay::abort);
    }

    private static void abortQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** One proxied connection: two directions, each a reader and a writer thread. */
    private final class Relay {
        final String caller;
        final Socket client;
        final Socket upstream;
        final AtomicBoolean done = new AtomicBoolean();

        Relay(String caller, Socket client, Socket upstream) {
            this.caller = caller;
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            Link in = caller == null ? new Link() : links.apply(caller, nodeId);
            Link out = caller == null ? new Link() : links.apply(nodeId, caller);
            direction(client.getInputStream(), upstream.getOutputStream(), in, "in");
            direction(upstream.getInputStream(), client.getOutputStream(), out, "out");
        }

        private void direction(InputStream from, OutputStream to, Link link, String name) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            String label = "fault-proxy-" + nodeId + "-" + caller + "-" + name;
            Thread reader = new Thread(() -> read(from, queue), label + "-read");
            Thread writer = new Thread(() -> write(to, queue, link), label + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(InputStream from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK];
            try {
                while (!done.get()) {
                    int n = from.read(buffer);
                    Chunk chunk = n < 0 ? Chunk.END : new Chunk(Arrays.copyOf(buffer, n), System.nanoTime());
                    while (!queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                        if (done.get()) {
                            return;
                        }
                    }
                    if (n < 0) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        private void write(OutputStream to, BlockingQueue<Chunk> queue, Link link) {
            try {
                while (!done.get()) {
                    Chunk chunk = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        continue;
                    }
                    if (chunk == Chunk.END) {
                        // Peer connections are long-lived: an end of stream means the connection is over.
                        abort();
                        return;
                    }
                    long due = chunk.readAt + link.delayNanos();
                    for (long wait = due - System.nanoTime(); wait > 0 && !done.get(); wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (!link.awaitOpen(done::get)) {
                        return;
                    }
                    to.write(chunk.bytes);
                    to.flush();
                    long rate = link.bytesPerSecond();
                    if (rate > 0) {
                        LockSupport.parkNanos(chunk.bytes.length * 1_000_000_000L / rate);
                    }
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        void abort() {
            if (done.compareAndSet(false, true)) {
                abortQuietly(client);
                abortQuietly(upstream);
                relays.remove(this);
            }
        }
    }

    private record Chunk(byte[] bytes, long readAt) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }
}
