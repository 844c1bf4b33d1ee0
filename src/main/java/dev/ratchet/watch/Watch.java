package dev.ratchet.watch;

import dev.ratchet.state.ChangeBatch;
import dev.ratchet.state.ChangeHistory;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open watch: a prefix and a cursor into the node's change history. It holds no events of its own:
 * each turn reads the next batches from the shared, bounded history and sends them, so a slow client
 * costs a cursor, not a queue. Turns run on the hub's sender pool, one at a time per watch.
 *
 * <p>A watcher is cut off, with a {@code cancelled} event, when it falls so far behind that the history's
 * bound (count and bytes) drops revisions it has not been sent ({@code reason: compacted}); and, without
 * an event it could not read anyway, when one write to it stays blocked for
 * {@link WatchSettings#sendTimeout()} ({@code reason: slow}).
 */
public final class Watch {

    /**
     * A turn stops adding batches once its write holds this many bytes (one batch always goes, however
     * large): the send timeout applies to one write, so a watcher catching up on big values must not be
     * handed 64 of them at once, and the sender threads must not each build a write of tens of MiB.
     */
    static final int MAX_TURN_BYTES = 256 * 1024;

    private final WatchHub hub;
    private final String prefix;
    private final EventSink sink;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The next revision to deliver; everything before it has been sent (or had no change under the prefix). */
    private long next;
    /** The revision the client was last told it is complete to, by a change or a progress event. */
    private long announced;
    private volatile long lastSendNanos;
    /** When the write in progress started; meaningful only while {@link #sending}. */
    private volatile long sendingSinceNanos;
    private volatile boolean sending;
    private volatile boolean progressDue;

    Watch(WatchHub hub, String prefix, long fromRevision, EventSink sink, long nowNanos) {
        this.hub = hub;
        this.prefix = prefix;
        this.sink = sink;
        this.next = fromRevision;
        this.announced = fromRevision - 1;
        this.lastSendNanos = nowNanos;
    }

    public String prefix() {
        return prefix;
    }

    /** The next revision this watch will deliver (for tests and diagnostics). */
    public synchronized long nextRevision() {
        return next;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Ends the watch from the client's side (disconnect, timeout). Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sink.close();
            hub.removed(this);
        }
    }

    /**
     * Ends a watch whose stream already broke: the sink is not touched again, because the server reports
     * the broken stream to the container by itself and a second completion from this thread races it.
     */
    private void abandon() {
        if (closed.compareAndSet(false, true)) {
            hub.removed(this);
        }
    }

    void requestProgress() {
        progressDue = true;
        schedule();
    }

    long lastSendNanos() {
        return lastSendNanos;
    }

    /** Asks for a turn on the sender pool unless one is already queued or running. */
    void schedule() {
        if (!closed.get() && scheduled.compareAndSet(false, true)) {
            hub.senders().execute(this::turn);
        }
    }

    private void turn() {
        boolean more;
        try {
            more = sendSome();
        } catch (IOException | RuntimeException e) {
            // The client went away (or the stream broke): nothing to tell it.
            abandon();
            return;
        } finally {
            scheduled.set(false);
        }
        ChangeHistory history = hub.history();
        // An append that raced with the end of this turn found 'scheduled' still set: look again.
        if (!closed.get() && (more || history.head() >= nextRevision() || progressDue)) {
            schedule();
        }
    }

    /**
     * Sends up to one turn's batches, and a due progress event, in one write; true if it stopped early
     * with more to send. The cursor moves only once the write went through.
     */
    private synchronized boolean sendSome() throws IOException {
        if (closed.get()) {
            return false;
        }
        ChangeHistory history = hub.history();
        // What this turn sends is the history as of now: a progress event is due again one interval
        // after this read, however long the write below takes.
        long readNanos = hub.nanoTime();
        ChangeHistory.Slice slice;
        try {
            slice = history.read(next, prefix, hub.settings().batchesPerTurn());
        } catch (ChangeHistory.CompactedException e) {
            cutOff("compacted", e.oldestAvailable(), "revision " + next + " has left this node's change history (oldest "
                    + "available: " + e.oldestAvailable() + "); read the current state and watch from its revision");
            return false;
        }
        SseFrames.Turn turn = new SseFrames.Turn();
        long newAnnounced = announced;
        int events = 0;
        boolean cutShort = false;
        for (ChangeBatch b : slice.batches()) {
            if (!turn.isEmpty() && turn.size() >= MAX_TURN_BYTES) {
                cutShort = true; // the rest next turn: one write stays small enough to finish in its timeout
                break;
            }
            turn.add(hub.encoded().frame(prefix, b));
            events += b.changes().size();
            newAnnounced = b.revision();
        }
        long newNext = cutShort ? newAnnounced + 1 : slice.through() >= next ? slice.through() + 1 : next;
        boolean more = cutShort || slice.batches().size() == hub.settings().batchesPerTurn();
        boolean progressSent = false;
        if (!more && progressDue) {
            progressDue = false; // before the write: a request arriving during it gets its own turn
            progressSent = true;
            if (newNext - 1 > newAnnounced || slice.batches().isEmpty()) {
                turn.add(SseFrames.frame(Long.toString(newNext - 1), "progress", WatchEvents.progress(newNext - 1)));
                newAnnounced = newNext - 1;
            }
        }
        if (!turn.isEmpty()) {
            send(turn.bytes());
            hub.countEvents(events);
        }
        if (!turn.isEmpty() || progressSent) {
            lastSendNanos = readNanos;
        }
        announced = newAnnounced;
        next = newNext;
        return more;
    }

    private void send(byte[] frames) throws IOException {
        sendingSinceNanos = hub.nanoTime();
        sending = true;
        try {
            sink.send(frames);
        } finally {
            sending = false;
        }
    }

    /**
     * Cuts the watch off if its current write has been blocked longer than the send timeout. The stream is
     * ended on the hub's closer threads, not here: ending it waits for the stuck write to give up, and the
     * caller (the hub's single timer) must go on timing every other watch and blocking read.
     */
    boolean cutOffIfStuck(long nowNanos) {
        if (sending && nowNanos - sendingSinceNanos > hub.settings().sendTimeout().toNanos()
                && closed.compareAndSet(false, true)) {
            hub.countCutOff();
            hub.removed(this);
            hub.closeLater(sink);
            return true;
        }
        return false;
    }

    private void cutOff(String reason, long oldestAvailable, String detail) {
        try {
            // Through send(), so that this write too is cut off if it stays blocked.
            send(SseFrames.frame(null, "cancelled", WatchEvents.cancelled(reason, next, oldestAvailable, detail)));
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the client is cut off either way.
        }
        hub.countCutOff();
        close();
    }
}
