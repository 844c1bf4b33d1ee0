package dev.ratchet.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Frames waiting for a connection's writer, bounded by count and by bytes. Thread-safe: any number of
 * producers, one consumer (the writer of the current connection).
 */
final class FrameQueue {

    /**
     * Control frames (stream credit, cancel) skip the limits so flow control cannot starve behind bulk
     * traffic; this caps how many of them may pile up regardless.
     */
    private static final int MAX_CONTROL_FRAMES = 4096;

    private final int maxFrames;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private long bytes;

    FrameQueue(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Adds the frame if it fits within both limits; never blocks. */
    boolean offer(Frame frame) {
        lock.lock();
        try {
            if (!fits(frame)) {
                return false;
            }
            append(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the frame, waiting up to the timeout for room. */
    boolean offer(Frame frame, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (!fits(frame)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = notFull.awaitNanos(remaining);
            }
            append(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a small control frame past the normal limits (up to a fixed cap). */
    boolean offerControl(Frame frame) {
        lock.lock();
        try {
            if (frames.size() >= maxFrames + MAX_CONTROL_FRAMES) {
                return false;
            }
            append(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes every queued frame up to {@code maxBatchBytes} (at least one), blocking while the queue is
     * empty. Returns an empty list once {@code stop} is true; {@link #wakeUp()} makes a waiting taker
     * re-check it.
     */
    List<Frame> takeBatch(int maxBatchBytes, BooleanSupplier stop) throws InterruptedException {
        lock.lock();
        try {
            while (frames.isEmpty()) {
                if (stop.getAsBoolean()) {
                    return List.of();
                }
                notEmpty.await(1, TimeUnit.SECONDS);
            }
            if (stop.getAsBoolean()) {
                return List.of();
            }
            List<Frame> batch = new ArrayList<>(Math.min(frames.size(), 1024));
            long batchBytes = 0;
            while (!frames.isEmpty()) {
                Frame next = frames.peekFirst();
                if (!batch.isEmpty() && batchBytes + next.wireSize() > maxBatchBytes) {
                    break;
                }
                frames.pollFirst();
                batchBytes += next.wireSize();
                batch.add(next);
            }
            bytes -= batchBytes;
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Makes blocked takers re-check their stop condition. */
    void wakeUp() {
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Discards everything queued. */
    void clear() {
        lock.lock();
        try {
            frames.clear();
            bytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return frames.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(Frame frame) {
        return frames.size() < maxFrames && bytes + frame.wireSize() <= maxBytes;
    }

    private void append(Frame frame) {
        frames.addLast(frame);
        bytes += frame.wireSize();
        notEmpty.signal();
    }
}
