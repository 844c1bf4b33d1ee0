package dev.ratchet.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unauthenticated connections held open on a peer port: each opens a TCP connection from one of a
 * few loopback source addresses (never one a node uses) and then either sends nothing or dribbles
 * the start of a TLS record one byte every half second. When the node closes it (its handshake
 * deadline, or a limit), it connects again at once, so the count stays up for as long as this runs.
 */
final class SlowHandshakes implements AutoCloseable {

    private static final int STEP_MILLIS = 500;
    private static final byte[] RECORD = {0x16, 0x03, 0x01, 0x40, 0x00};

    private final List<Thread> threads = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong closedByNode = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param port the peer port to hold
     * @param count connections kept open at once
     * @param sources loopback source addresses, used in turn
     */
    SlowHandshakes(int port, int count, List<String> sources) {
        for (int i = 0; i < count; i++) {
            String source = sources.get(i % sources.size());
            boolean dribble = i % 2 == 0;
            Thread t = new Thread(() -> hold(port, source, dribble), "slow-handshake-" + port + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void hold(int port, String source, boolean dribble) {
        while (running) {
            try (Socket socket = new Socket()) {
                track(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                connects.incrementAndGet();
                socket.setSoTimeout(STEP_MILLIS);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                int sent = 0;
                while (running) {
                    try {
                        if (in.read() < 0) {
                            closedByNode.incrementAndGet();
                            break;
                        }
                    } catch (SocketTimeoutException stillOpen) {
                        if (dribble) {
                            out.write(sent < RECORD.length ? RECORD[sent] : 0x01);
                            out.flush();
                            sent++;
                        }
                    }
                }
            } catch (IOException e) {
                // reset by the node, or the node is down: try again after a pause (the loop's read timeout)
                closedByNode.incrementAndGet();
                pause();
            }
        }
    }

    private synchronized void track(Socket socket) {
        open.removeIf(Socket::isClosed);
        open.add(socket);
    }

    private static void pause() {
        // A node that is down refuses at once; do not spin on it (pacing of a load generator, not a
        // wait for a condition).
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS));
    }

    /** TCP connections made so far. */
    long connects() {
        return connects.get();
    }

    /** Connections the node closed (or reset, or refused) so far. */
    long closedByNode() {
        return closedByNode.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (this) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing test connections
                }
            }
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
