package dev.ratchet.failover;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The faults currently applied to one direction of traffic between two nodes. A cut stalls the bytes
 * (as a black-holed route does: TCP keeps the connection and delivers late after the heal) rather than
 * dropping them, which would corrupt the TLS stream in a way no real network does.
 *
 * <p>Thread-safety: setters may be called from the test thread while relay threads wait on the link.
 */
final class Link {

    private static final long MAX_PARK_NANOS = 50_000_000L;

    private boolean cut;
    private long delayNanos;
    private long bytesPerSecond;

    synchronized void cut(boolean value) {
        cut = value;
        notifyAll();
    }

    synchronized boolean isCut() {
        return cut;
    }

    synchronized void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        delayNanos = delay.toNanos();
    }

    synchronized long delayNanos() {
        return delayNanos;
    }

    /** Limits the link to {@code value} bytes per second; 0 removes the limit. */
    synchronized void bandwidth(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("bandwidth must not be negative: " + value);
        }
        bytesPerSecond = value;
    }

    synchronized long bytesPerSecond() {
        return bytesPerSecond;
    }

    synchronized void clear() {
        cut = false;
        delayNanos = 0;
        bytesPerSecond = 0;
        notifyAll();
    }

    /**
     * Blocks while the link is cut. Returns false if {@code abandoned} turned true meanwhile (the relay
     * closed), true when bytes may flow.
     */
    synchronized boolean awaitOpen(BooleanSupplier abandoned) throws InterruptedException {
        while (cut) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
            wait(MAX_PARK_NANOS / 1_000_000L);
        }
        return !abandoned.getAsBoolean();
    }

    @Override
    public synchronized String toString() {
        return (cut ? "cut" : "open") + (delayNanos > 0 ? " delay " + delayNanos / 1_000_000 + "ms" : "")
                + (bytesPerSecond > 0 ? " " + bytesPerSecond + "B/s" : "");
    }
}
