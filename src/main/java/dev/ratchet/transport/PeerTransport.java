package dev.ratchet.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's peer transport: one long-lived outbound connection per peer in the address book, plus the
 * inbound connections peers open to us.
 *
 * <ul>
 *   <li>{@link #send}: one-way messages (Raft traffic) through a bounded per-peer queue; a full queue
 *       drops and counts. A writer thread per connection batches everything queued into one flush.</li>
 *   <li>{@link #call}: request/response with a timeout and a bounded number outstanding per peer.</li>
 *   <li>{@link #callStream}: a response delivered as ordered chunks under credit-based back-pressure.</li>
 * </ul>
 *
 * <p>Lifecycle: construct, register handlers and the message consumer, {@link #start()}, and finally
 * {@link #close()}. Handlers may also be (re)registered after start. Thread-safety: every public method
 * may be called from any thread; {@code send}, {@code call} and {@code callStream} never block, so a slow
 * or dead peer cannot hold up the caller or traffic to other peers. Reconnects use exponential backoff
 * with jitter, reset after each successful dial.
 */
public final class PeerTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);
    private static final MessageConsumer DROP_MESSAGES =
            (peerId, payload) -> log.debug("no message consumer registered; dropped a message from {}", peerId);

    private final String localId;
    private final PeerAcceptor acceptor;
    private final PeerDialer dialer;
    private final PeerAddressBook addressBook;
    private final TransportConfig config;
    private final RandomGenerator random;
    private final TransportContext context;
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    private final Map<String, InboundSession> inboundByPeer = new ConcurrentHashMap<>();
    private final AtomicInteger inboundCount = new AtomicInteger();
    private final Map<Integer, RequestHandler> requestHandlers = new ConcurrentHashMap<>();
    private final Map<Integer, StreamHandler> streamHandlers = new ConcurrentHashMap<>();
    private final LongAdder droppedUnknownPeer = new LongAdder();
    private final BiConsumer<String, InetSocketAddress> addressListener = this::onAddressChange;
    private volatile MessageConsumer messageConsumer = DROP_MESSAGES;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param localId this node's id; messages to it are refused
     * @param acceptor the listening side; the transport closes it on {@link #close()}
     * @param dialer opens authenticated connections to peers
     * @param addressBook where peers listen; links follow its changes
     */
    public PeerTransport(String localId, PeerAcceptor acceptor, PeerDialer dialer, PeerAddressBook addressBook,
            TransportConfig config) {
        this(localId, acceptor, dialer, addressBook, config, RandomGenerator.getDefault());
    }

    /** As the public constructor, with the random source for backoff jitter supplied (tests). */
    PeerTransport(String localId, PeerAcceptor acceptor, PeerDialer dialer, PeerAddressBook addressBook,
            TransportConfig config, RandomGenerator random) {
        this.localId = Objects.requireNonNull(localId, "localId");
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.addressBook = Objects.requireNonNull(addressBook, "addressBook");
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ratchet-transport-" + localId + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService handlerPool = TransportThreads.boundedPool("ratchet-transport-" + localId + "-handler",
                config.handlerThreads(), config.handlerQueueCapacity());
        ExecutorService streamPool = TransportThreads.boundedPool("ratchet-transport-" + localId + "-stream",
                config.handlerThreads(), config.handlerQueueCapacity());
        ExecutorService deliveryPool = TransportThreads.boundedPool("ratchet-transport-" + localId + "-delivery",
                config.handlerThreads(), config.handlerQueueCapacity());
        this.context = new TransportContext(localId, config, new FrameCodec(config.maxFrameBytes()),
                new TransportCounters(), handlerPool, streamPool, deliveryPool, scheduler);
    }

    /** Sets who receives one-way messages; see {@link MessageConsumer} for the threading contract. */
    public void setMessageConsumer(MessageConsumer consumer) {
        this.messageConsumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** Routes requests of {@code requestType} (sent with {@link #call}) to {@code handler}. */
    public void registerHandler(int requestType, RequestHandler handler) {
        requestHandlers.put(requestType, Objects.requireNonNull(handler, "handler"));
    }

    /** Routes streamed requests of {@code requestType} (sent with {@link #callStream}) to {@code handler}. */
    public void registerStreamHandler(int requestType, StreamHandler handler) {
        streamHandlers.put(requestType, Objects.requireNonNull(handler, "handler"));
    }

    /** Starts accepting and dialing every peer in the address book. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "transport is closed" : "transport already started");
        }
        started = true;
        addressBook.addListener(addressListener);
        addressBook.snapshot().keySet().forEach(this::ensureLink);
        TransportThreads.start("ratchet-transport-" + localId + "-acceptor", this::acceptLoop);
    }

    /**
     * Queues a one-way message to a peer. Never blocks.
     *
     * @return false if the message was dropped: queue full, peer unknown, or transport closed
     * @throws IllegalArgumentException if the payload exceeds the frame limit
     */
    public boolean send(String peerId, byte[] payload) {
        checkPayload(payload);
        PeerLink link = links.get(peerId);
        if (link == null) {
            if (!closed) {
                droppedUnknownPeer.increment();
            }
            return false;
        }
        return link.send(payload);
    }

    /**
     * Sends a request and returns its response. Never blocks. The future completes exceptionally with a
     * {@link TransportException} on timeout, overload, unknown peer, connection loss, a remote failure or
     * close; in every case the call's slot is freed.
     *
     * @throws IllegalArgumentException if the payload exceeds the frame limit or the timeout is not positive
     */
    public CompletableFuture<byte[]> call(String peerId, int requestType, byte[] payload, Duration timeout) {
        checkPayload(payload);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        PeerLink link = links.get(peerId);
        if (link == null) {
            return CompletableFuture.failedFuture(closed ? closedFailure() : unknownPeer(peerId));
        }
        return link.call(requestType, payload, timeout);
    }

    /**
     * Requests a streamed response, delivered in order to {@code consumer}. Never blocks. The future
     * completes when the end-of-stream arrives and every chunk has been consumed, or exceptionally (a
     * {@link TransportException}, or what the consumer threw). The stream fails if it makes no progress
     * for {@link TransportConfig#streamIdleTimeout()}. A stream holds one call slot while open.
     */
    public CompletableFuture<Void> callStream(String peerId, int requestType, byte[] payload,
            ChunkConsumer consumer) {
        checkPayload(payload);
        Objects.requireNonNull(consumer, "consumer");
        PeerLink link = links.get(peerId);
        if (link == null) {
            return CompletableFuture.failedFuture(closed ? closedFailure() : unknownPeer(peerId));
        }
        return link.callStream(requestType, payload, consumer);
    }

    /** A snapshot of all counters. */
    public TransportStats stats() {
        Map<String, Integer> queued = new HashMap<>();
        links.forEach((peerId, link) -> queued.put(peerId, link.queuedFrames()));
        return context.counters().snapshot(queued);
    }

    /** Messages refused because the peer was not in the address book. */
    public long droppedForUnknownPeer() {
        return droppedUnknownPeer.sum();
    }

    /** Where this transport accepts connections. */
    public InetSocketAddress localAddress() {
        return acceptor.localAddress();
    }

    /** This node's id. */
    public String localId() {
        return localId;
    }

    /**
     * Stops all threads, closes every connection and the acceptor, and fails outstanding calls and
     * streams with {@link TransportException.Reason#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        addressBook.removeListener(addressListener);
        try {
            acceptor.close();
        } catch (IOException e) {
            log.debug("{}: closing the acceptor failed: {}", localId, e.toString());
        }
        links.values().forEach(PeerLink::close);
        links.clear();
        inboundByPeer.values().forEach(session -> session.close("transport closing"));
        context.handlerPool().shutdownNow();
        context.streamPool().shutdownNow();
        context.deliveryPool().shutdownNow();
        context.scheduler().shutdownNow();
    }

    private void onAddressChange(String peerId, InetSocketAddress address) {
        if (closed) {
            return;
        }
        if (address == null) {
            PeerLink link = links.remove(peerId);
            if (link != null) {
                link.close();
            }
            InboundSession session = inboundByPeer.remove(peerId);
            if (session != null) {
                session.close("peer removed from the address book");
            }
        } else {
            PeerLink existing = links.get(peerId);
            if (existing != null) {
                existing.addressChanged();
            } else {
                ensureLink(peerId);
            }
        }
    }

    private void ensureLink(String peerId) {
        if (peerId.equals(localId)) {
            return;
        }
        links.computeIfAbsent(peerId, id -> {
            PeerLink link = new PeerLink(id, context, dialer, addressBook, random);
            link.start();
            return link;
        });
        if (closed) {
            PeerLink link = links.remove(peerId);
            if (link != null) {
                link.close();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            AcceptedPeer accepted;
            try {
                accepted = acceptor.accept();
            } catch (IOException | RuntimeException e) {
                if (closed || acceptor.isClosed()) {
                    return;
                }
                context.counters().acceptFailures.increment();
                log.debug("{}: inbound connection refused: {}", localId, e.toString());
                continue;
            }
            admit(accepted);
        }
    }

    private void admit(AcceptedPeer accepted) {
        if (closed || inboundCount.incrementAndGet() > config.maxInboundConnections()) {
            inboundCount.decrementAndGet();
            context.counters().acceptFailures.increment();
            log.warn("{}: refusing a connection from {}: {}", localId, accepted.peerId(),
                    closed ? "transport closed" : "too many inbound connections");
            closeQuietly(accepted);
            return;
        }
        InboundSession[] self = new InboundSession[1];
        InboundSession session = new InboundSession(accepted, context, inboundHandlers(), () -> {
            inboundCount.decrementAndGet();
            inboundByPeer.remove(accepted.peerId(), self[0]);
        });
        self[0] = session;
        // A peer keeps one outbound connection to us; a new one means its previous one is dead.
        InboundSession previous = inboundByPeer.put(accepted.peerId(), session);
        if (previous != null) {
            previous.close("superseded by a new connection from the same peer");
        }
        session.start();
        if (closed) {
            session.close("transport closing");
            return;
        }
        PeerLink link = links.get(accepted.peerId());
        if (link != null) {
            link.peerConnectedToUs();
        }
    }

    private InboundSession.Handlers inboundHandlers() {
        return new InboundSession.Handlers() {
            @Override
            public MessageConsumer messageConsumer() {
                return messageConsumer;
            }

            @Override
            public RequestHandler requestHandler(int requestType) {
                return requestHandlers.get(requestType);
            }

            @Override
            public StreamHandler streamHandler(int requestType) {
                return streamHandlers.get(requestType);
            }
        };
    }

    private void checkPayload(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        int max = context.codec().maxPayloadBytes();
        if (payload.length > max) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the limit of " + max);
        }
    }

    private static TransportException closedFailure() {
        return new TransportException(TransportException.Reason.CLOSED, "transport closed");
    }

    private static TransportException unknownPeer(String peerId) {
        return new TransportException(TransportException.Reason.UNKNOWN_PEER, "no address for peer " + peerId);
    }

    private static void closeQuietly(AcceptedPeer accepted) {
        try {
            accepted.socket().close();
        } catch (IOException e) {
            log.debug("closing a refused socket failed: {}", e.toString());
        }
    }
}
