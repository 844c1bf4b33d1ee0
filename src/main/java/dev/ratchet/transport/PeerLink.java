package dev.ratchet.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this node sends to one peer: the bounded send queue, the long-lived outbound connection with
 * the supervisor thread that (re)dials it with backoff, and the calls and streams awaiting answers on it.
 * Thread-safe; {@link #send}, {@link #call} and {@link #callStream} never block.
 */
final class PeerLink {

    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    private final String peerId;
    private final TransportContext context;
    private final PeerDialer dialer;
    private final PeerAddressBook addressBook;
    private final FrameQueue queue;
    private final PeerCounters counters;
    private final Semaphore callSlots;
    private final Map<Long, Outstanding> outstanding = new ConcurrentHashMap<>();
    private final AtomicLong nextCorrelationId = new AtomicLong();
    private final Backoff backoff;
    private final Object wakeUp = new Object();
    private volatile Connection connection;
    /** True from a lost connection or failed dial until the next successful dial: calls fail at once, unsent. */
    private volatile boolean unreachable;
    private volatile boolean closed;
    private Thread supervisor;

    PeerLink(String peerId, TransportContext context, PeerDialer dialer, PeerAddressBook addressBook,
            RandomGenerator random) {
        TransportConfig config = context.config();
        this.peerId = peerId;
        this.context = context;
        this.dialer = dialer;
        this.addressBook = addressBook;
        this.queue = new FrameQueue(config.sendQueueMaxFrames(), config.sendQueueMaxBytes());
        this.counters = context.counters().peer(peerId);
        this.callSlots = new Semaphore(config.maxOutstandingCallsPerPeer());
        this.backoff = new Backoff(config.reconnectBackoffMin(), config.reconnectBackoffMax(), random);
    }

    void start() {
        supervisor = TransportThreads.start(threadName("dialer"), this::superviseConnection);
    }

    boolean send(byte[] payload) {
        if (closed || !queue.offer(new Frame(FrameType.MESSAGE, 0, 0, payload))) {
            counters.queueDrops.increment();
            return false;
        }
        return true;
    }

    CompletableFuture<byte[]> call(int requestType, byte[] payload, Duration timeout) {
        if (unreachable) {
            // Queueing would only make the caller wait out its timeout for a peer that is gone (a killed
            // leader); failing now, unsent, lets it retry elsewhere at once.
            return CompletableFuture.failedFuture(new TransportException(TransportException.Reason.UNREACHABLE,
                    peerId + " could not be reached at the last attempt; the request was not sent"));
        }
        OutstandingCall call = new OutstandingCall();
        long id = nextCorrelationId.incrementAndGet();
        if (!register(id, call)) {
            return call.future;
        }
        try {
            call.timeout = context.scheduler().schedule(
                    () -> failOutstanding(id, new TransportException(TransportException.Reason.TIMEOUT,
                            "no response from " + peerId + " within " + timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failOutstanding(id, new TransportException(TransportException.Reason.CLOSED, "transport closed"));
            return call.future;
        }
        enqueueRequest(id, new Frame(FrameType.REQUEST, id, requestType, payload));
        return call.future;
    }

    CompletableFuture<Void> callStream(int requestType, byte[] payload, ChunkConsumer consumer) {
        long id = nextCorrelationId.incrementAndGet();
        StreamReceiver receiver = new StreamReceiver(context.config().streamCreditWindow(), consumer,
                context.deliveryPool(), new StreamReceiver.Control() {
                    @Override
                    public void grantCredit(int chunks) {
                        queue.offerControl(Frame.control(FrameType.STREAM_CREDIT, id, chunks));
                    }

                    @Override
                    public void cancelRemote() {
                        queue.offerControl(Frame.control(FrameType.STREAM_CANCEL, id, 0));
                    }

                    @Override
                    public void finished() {
                        forget(id);
                    }
                });
        if (!register(id, receiver)) {
            return receiver.future;
        }
        scheduleIdleCheck(id, receiver, context.config().streamIdleTimeout().toNanos());
        enqueueRequest(id, new Frame(FrameType.STREAM_REQUEST, id, requestType, payload));
        return receiver.future;
    }

    /**
     * The peer has just connected to us, so it is up: a dial waiting out its backoff goes now. A node that
     * restarts dials its peers at once, while their links to it had backed off (up to the configured maximum)
     * during its absence; without this they reached it only after that wait. Harmless while connected (the
     * supervisor then waits on the connection, not on the pause). Called from the accept thread.
     */
    void peerConnectedToUs() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** The address changed: drop the current connection so the next dial uses the new one. */
    void addressChanged() {
        Connection current = connection;
        if (current != null) {
            current.close("peer address changed");
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    void close() {
        closed = true;
        // Before the connection goes, so callers see CLOSED rather than CONNECTION_LOST.
        failAll(new TransportException(TransportException.Reason.CLOSED, "transport closed"));
        Connection current = connection;
        if (current != null) {
            current.close("transport closing");
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (supervisor != null) {
            supervisor.interrupt();
        }
        queue.clear();
    }

    int queuedFrames() {
        return queue.size();
    }

    private boolean register(long id, Outstanding exchange) {
        if (closed) {
            exchange.fail(new TransportException(TransportException.Reason.CLOSED, "transport closed"));
            return false;
        }
        if (!callSlots.tryAcquire()) {
            exchange.fail(new TransportException(TransportException.Reason.OVERLOADED,
                    context.config().maxOutstandingCallsPerPeer() + " calls already outstanding to " + peerId));
            return false;
        }
        outstanding.put(id, exchange);
        if (closed) {
            failOutstanding(id, new TransportException(TransportException.Reason.CLOSED, "transport closed"));
            return false;
        }
        return true;
    }

    private void enqueueRequest(long id, Frame request) {
        if (!queue.offer(request)) {
            counters.queueDrops.increment();
            failOutstanding(id, new TransportException(TransportException.Reason.OVERLOADED,
                    "send queue to " + peerId + " is full"));
        }
    }

    private void scheduleIdleCheck(long id, StreamReceiver receiver, long delayNanos) {
        try {
            context.scheduler().schedule(() -> checkIdle(id, receiver), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failOutstanding(id, new TransportException(TransportException.Reason.CLOSED, "transport closed"));
        }
    }

    private void checkIdle(long id, StreamReceiver receiver) {
        if (receiver.future.isDone()) {
            return;
        }
        long idleLimit = context.config().streamIdleTimeout().toNanos();
        long idle = receiver.nanosSinceProgress();
        if (idle >= idleLimit) {
            receiver.abort(new TransportException(TransportException.Reason.TIMEOUT,
                    "stream from " + peerId + " made no progress for " + context.config().streamIdleTimeout()));
        } else {
            scheduleIdleCheck(id, receiver, idleLimit - idle);
        }
    }

    /** Removes the exchange and frees its slot; true for exactly one caller per exchange. */
    private boolean forget(long id) {
        if (outstanding.remove(id) != null) {
            callSlots.release();
            return true;
        }
        return false;
    }

    private void failOutstanding(long id, TransportException failure) {
        Outstanding exchange = outstanding.get(id);
        if (exchange != null && forget(id)) {
            exchange.fail(failure);
        }
    }

    private void failAll(TransportException failure) {
        for (Long id : outstanding.keySet()) {
            failOutstanding(id, failure);
        }
    }

    private void superviseConnection() {
        boolean everConnected = false;
        while (!closed) {
            Optional<InetSocketAddress> address = addressBook.lookup(peerId);
            if (address.isEmpty()) {
                pause(backoff.nextNanos());
                continue;
            }
            Socket socket;
            try {
                socket = dialer.dial(peerId, address.get(), context.config().dialTimeout());
            } catch (IOException | RuntimeException e) {
                counters.dialFailures.increment();
                unreachable = true;
                log.debug("{}: dial to {} at {} failed: {}", context.localId(), peerId, address.get(), e.toString());
                pause(backoff.nextNanos());
                continue;
            }
            if (!address.equals(addressBook.lookup(peerId))) {
                closeQuietly(socket);
                continue;
            }
            backoff.reset();
            unreachable = false;
            if (everConnected) {
                counters.reconnects.increment();
            }
            everConnected = true;
            Connection current = new Connection(threadName("out"), peerId, socket, context.codec(), queue,
                    context.config().writeBatchMaxBytes(), this::onFrame, context, () -> { });
            connection = current;
            if (closed) {
                current.close("transport closing");
                return;
            }
            current.start();
            try {
                current.awaitClosed();
            } catch (InterruptedException e) {
                current.close("transport closing");
                return;
            }
            // Until the redial succeeds, new calls would only sit in the queue (a killed leader never
            // answers them): refuse them unsent so callers can go elsewhere at once.
            unreachable = true;
            failAll(closed
                    ? new TransportException(TransportException.Reason.CLOSED, "transport closed")
                    : new TransportException(TransportException.Reason.CONNECTION_LOST,
                            "connection to " + peerId + " closed"));
            pause(backoff.nextNanos());
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing a superseded socket failed: {}", e.toString());
        }
    }

    private void pause(long nanos) {
        synchronized (wakeUp) {
            if (closed) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(wakeUp, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Frames the acceptor side sends back on our outbound connection. */
    private void onFrame(Frame frame) throws FrameFormatException {
        long id = frame.correlationId();
        switch (frame.type()) {
            case RESPONSE -> {
                Outstanding exchange = outstanding.get(id);
                if (exchange instanceof OutstandingCall call && forget(id)) {
                    call.succeed(frame.payload());
                }
            }
            case ERROR -> {
                Outstanding exchange = outstanding.get(id);
                if (exchange != null && forget(id)) {
                    exchange.fail(new TransportException(TransportException.Reason.fromCode(frame.code()),
                            ErrorText.decode(frame.payload())));
                }
            }
            case STREAM_CHUNK -> {
                if (outstanding.get(id) instanceof StreamReceiver receiver) {
                    receiver.onChunk(frame.payload());
                }
            }
            case STREAM_END -> {
                if (outstanding.get(id) instanceof StreamReceiver receiver) {
                    receiver.onEnd();
                }
            }
            default -> throw new FrameFormatException(
                    "frame type " + frame.type() + " is not valid from the accepting side");
        }
    }

    private String threadName(String purpose) {
        return "ratchet-transport-" + context.localId() + "-" + purpose + "-" + peerId;
    }
}
