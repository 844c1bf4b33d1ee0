package dev.ratchet.trust;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An overall deadline on one accepted handshake. A per-read timeout alone lets a client that sends
 * one byte just before each timeout hold the connection (and the thread handshaking it) forever;
 * at the deadline this closes the socket, which ends any blocked read at once.
 *
 * <p>One daemon thread serves every deadline of the JVM; its tasks only close sockets. Thread-safe.
 */
final class HandshakeDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int EXPIRED = 2;

    private final Socket socket;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final ScheduledFuture<?> task;

    private HandshakeDeadline(Socket socket, Duration after) {
        this.socket = socket;
        this.task = TIMER.schedule(this::expire, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the clock: {@code socket} is closed {@code after} from now unless {@link #close()} comes first. */
    static HandshakeDeadline start(Socket socket, Duration after) {
        return new HandshakeDeadline(socket, after);
    }

    /** True when the deadline passed and closed the socket. */
    boolean expired() {
        return state.get() == EXPIRED;
    }

    /**
     * Stops the clock for a handshake that succeeded.
     *
     * @return false if the deadline won the race and the socket is closed (or about to be)
     */
    boolean finish() {
        boolean finished = state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
        task.cancel(false);
        return finished;
    }

    /** Cancels the deadline (the handshake ended, either way); the socket is left as it is. */
    @Override
    public void close() {
        state.compareAndSet(RUNNING, FINISHED);
        task.cancel(false);
    }

    private void expire() {
        if (!state.compareAndSet(RUNNING, EXPIRED)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all we wanted; a socket that is already broken is closed enough.
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ratchet-handshake-deadline");
            t.setDaemon(true);
            return t;
        });
        // Most deadlines are cancelled; do not keep thousands of dead tasks queued for their full delay.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
