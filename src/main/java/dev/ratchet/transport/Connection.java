package dev.ratchet.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open socket to a peer with its reader thread and writer thread. The writer drains a
 * {@link FrameQueue} and writes each batch with a single flush; the reader hands every frame to a
 * {@link FrameHandler}. Any I/O error or invalid frame closes this connection only.
 */
final class Connection {

    /** What the reader does with each frame; a {@link FrameFormatException} closes the connection. */
    @FunctionalInterface
    interface FrameHandler {
        void onFrame(Frame frame) throws FrameFormatException;
    }

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final int SOCKET_BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final String peerId;
    private final Socket socket;
    private final FrameCodec codec;
    private final FrameQueue outbound;
    private final int writeBatchMaxBytes;
    private final FrameHandler handler;
    private final PeerCounters peerCounters;
    private final TransportCounters counters;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final long writeStallTimeoutNanos;
    private volatile boolean writing;
    private volatile long writeStartedNanos;
    private volatile ScheduledFuture<?> stallCheck;
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    Connection(String name, String peerId, Socket socket, FrameCodec codec, FrameQueue outbound,
            int writeBatchMaxBytes, FrameHandler handler, TransportContext context, Runnable onClosed) {
        this.name = name;
        this.peerId = peerId;
        this.socket = socket;
        this.codec = codec;
        this.outbound = outbound;
        this.writeBatchMaxBytes = writeBatchMaxBytes;
        this.handler = handler;
        this.counters = context.counters();
        this.peerCounters = counters.peer(peerId);
        this.scheduler = context.scheduler();
        this.writeStallTimeoutNanos = context.config().writeStallTimeout().toNanos();
        this.onClosed = onClosed;
    }

    /** Starts the reader and writer threads. */
    void start() {
        counters.connectionsOpened.increment();
        peerCounters.connectionsOpened.increment();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(0);
        } catch (IOException e) {
            close("socket options failed: " + e.getMessage());
            return;
        }
        TransportThreads.start(name + "-reader", this::readLoop);
        TransportThreads.start(name + "-writer", this::writeLoop);
        long period = Math.max(writeStallTimeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
        try {
            stallCheck = scheduler.scheduleAtFixedRate(this::closeIfWriteStalled, period, period, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            close("transport closing");
        }
        if (closed.get() && stallCheck != null) {
            stallCheck.cancel(false);
        }
    }

    /**
     * Java sockets have no write timeout: a peer that stops reading (or a host that vanished) leaves the
     * writer blocked. Closing the socket is the only way to unblock it and let the link redial.
     */
    private void closeIfWriteStalled() {
        if (writing && System.nanoTime() - writeStartedNanos > writeStallTimeoutNanos) {
            log.warn("{}: a write to {} has been blocked for over {} ms; closing the connection", name, peerId,
                    TimeUnit.NANOSECONDS.toMillis(writeStallTimeoutNanos));
            close("write stalled");
        }
    }

    String peerId() {
        return peerId;
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Blocks until the connection is closed. */
    void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /** Closes the socket and stops both threads; idempotent, callable from any thread. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.debug("{}: closing connection with {}: {}", name, peerId, reason);
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("{}: error closing socket: {}", name, e.toString());
        }
        counters.connectionsClosed.increment();
        ScheduledFuture<?> check = stallCheck;
        if (check != null) {
            check.cancel(false);
        }
        outbound.wakeUp();
        try {
            onClosed.run();
        } finally {
            closedLatch.countDown();
        }
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(
                    new BufferedInputStream(socket.getInputStream(), SOCKET_BUFFER_BYTES));
            while (!closed.get()) {
                Frame frame = codec.read(in);
                if (frame == null) {
                    close("peer closed the connection");
                    return;
                }
                peerCounters.framesIn.increment();
                peerCounters.bytesIn.add(frame.wireSize());
                handler.onFrame(frame);
            }
        } catch (FrameFormatException e) {
            counters.frameErrors.increment();
            peerCounters.frameErrors.increment();
            log.warn("{}: invalid frame from {}, closing that connection: {}", name, peerId, e.getMessage());
            close("invalid frame: " + e.getMessage());
        } catch (IOException e) {
            close("read failed: " + e);
        } catch (RuntimeException e) {
            log.error("{}: unexpected error reading from {}", name, peerId, e);
            close("reader failed: " + e);
        }
    }

    private void writeLoop() {
        try {
            DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(socket.getOutputStream(), SOCKET_BUFFER_BYTES));
            while (!closed.get()) {
                List<Frame> batch = outbound.takeBatch(writeBatchMaxBytes, closed::get);
                if (batch.isEmpty()) {
                    continue;
                }
                long batchBytes = 0;
                writeStartedNanos = System.nanoTime();
                writing = true;
                for (Frame frame : batch) {
                    codec.write(frame, out);
                    batchBytes += frame.wireSize();
                }
                out.flush();
                writing = false;
                peerCounters.framesOut.add(batch.size());
                peerCounters.bytesOut.add(batchBytes);
            }
        } catch (IOException e) {
            close("write failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close("writer interrupted");
        } catch (RuntimeException e) {
            log.error("{}: unexpected error writing to {}", name, peerId, e);
            close("writer failed: " + e);
        }
    }
}
