package dev.ratchet.transport;

import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: delivers the peer's messages, runs its requests and streams on the handler
 * pool, and writes responses back through its own bounded queue.
 */
final class InboundSession {

    /** Where handlers and the message consumer are looked up; owned by {@link PeerTransport}. */
    interface Handlers {
        MessageConsumer messageConsumer();

        RequestHandler requestHandler(int requestType);

        StreamHandler streamHandler(int requestType);
    }

    private static final Logger log = LoggerFactory.getLogger(InboundSession.class);
    /** Concurrent streams one peer may have open on one connection. */
    private static final int MAX_ACTIVE_STREAMS = 64;

    private final String peerId;
    private final TransportContext context;
    private final Handlers handlers;
    private final FrameQueue responses;
    private final Connection connection;
    private final Map<Long, StreamSender> activeStreams = new ConcurrentHashMap<>();

    InboundSession(AcceptedPeer accepted, TransportContext context, Handlers handlers, Runnable onClosed) {
        TransportConfig config = context.config();
        this.peerId = accepted.peerId();
        this.context = context;
        this.handlers = handlers;
        this.responses = new FrameQueue(config.sendQueueMaxFrames(), config.sendQueueMaxBytes());
        Socket socket = accepted.socket();
        this.connection = new Connection("ratchet-transport-" + context.localId() + "-in-" + peerId, peerId,
                socket, context.codec(), responses, config.writeBatchMaxBytes(), this::onFrame,
                context, () -> {
                    activeStreams.values().forEach(sender -> sender.stop("connection closed"));
                    responses.clear();
                    onClosed.run();
                });
    }

    void start() {
        connection.start();
    }

    void close(String reason) {
        connection.close(reason);
    }

    String peerId() {
        return peerId;
    }

    private void onFrame(Frame frame) throws FrameFormatException {
        switch (frame.type()) {
            case MESSAGE -> deliverMessage(frame.payload());
            case REQUEST -> startRequest(frame);
            case STREAM_REQUEST -> startStream(frame);
            case STREAM_CREDIT -> {
                StreamSender sender = activeStreams.get(frame.correlationId());
                if (sender != null) {
                    sender.grant(frame.code());
                }
            }
            case STREAM_CANCEL -> {
                StreamSender sender = activeStreams.get(frame.correlationId());
                if (sender != null) {
                    sender.stop("cancelled by the receiver");
                }
            }
            default -> throw new FrameFormatException(
                    "frame type " + frame.type() + " is not valid from the dialing side");
        }
    }

    private void deliverMessage(byte[] payload) {
        try {
            handlers.messageConsumer().accept(peerId, payload);
        } catch (RuntimeException e) {
            log.warn("message consumer failed on a message from {}; message dropped", peerId, e);
        }
    }

    private void startRequest(Frame request) {
        long id = request.correlationId();
        RequestHandler handler = handlers.requestHandler(request.code());
        if (handler == null) {
            sendError(id, TransportException.Reason.NO_HANDLER, "no handler for request type " + request.code());
            return;
        }
        try {
            context.handlerPool().execute(() -> runRequest(handler, id, request.payload()));
        } catch (RejectedExecutionException e) {
            sendError(id, TransportException.Reason.OVERLOADED, "handler pool is full");
        }
    }

    private void runRequest(RequestHandler handler, long id, byte[] payload) {
        CompletionStage<byte[]> stage;
        try {
            stage = handler.handle(peerId, payload);
        } catch (RuntimeException e) {
            sendError(id, TransportException.Reason.REMOTE_FAILURE, describe(e));
            return;
        }
        if (stage == null) {
            sendError(id, TransportException.Reason.REMOTE_FAILURE, "handler returned no response stage");
            return;
        }
        stage.whenComplete((response, failure) -> {
            if (failure != null) {
                sendError(id, TransportException.Reason.REMOTE_FAILURE, describe(unwrap(failure)));
            } else if (response == null) {
                sendError(id, TransportException.Reason.REMOTE_FAILURE, "handler completed with null");
            } else if (response.length > context.codec().maxPayloadBytes()) {
                sendError(id, TransportException.Reason.BAD_REQUEST,
                        "response of " + response.length + " bytes exceeds the frame limit");
            } else if (!responses.offer(new Frame(FrameType.RESPONSE, id, 0, response))) {
                log.warn("response queue to {} is full; response dropped (the caller will time out)", peerId);
            }
        });
    }

    private void startStream(Frame request) {
        long id = request.correlationId();
        StreamHandler handler = handlers.streamHandler(request.code());
        if (handler == null) {
            sendError(id, TransportException.Reason.NO_HANDLER, "no stream handler for type " + request.code());
            return;
        }
        if (activeStreams.size() >= MAX_ACTIVE_STREAMS) {
            sendError(id, TransportException.Reason.OVERLOADED, MAX_ACTIVE_STREAMS + " streams already open");
            return;
        }
        TransportConfig config = context.config();
        StreamSender sender = new StreamSender(id, responses, context.codec().maxPayloadBytes(),
                config.streamCreditWindow(), config.streamIdleTimeout().toNanos());
        activeStreams.put(id, sender);
        try {
            context.streamPool().execute(() -> runStream(handler, id, request.payload(), sender));
        } catch (RejectedExecutionException e) {
            activeStreams.remove(id);
            sendError(id, TransportException.Reason.OVERLOADED, "stream pool is full");
        }
    }

    private void runStream(StreamHandler handler, long id, byte[] payload, StreamSender sender) {
        try {
            handler.handle(peerId, payload, sender);
            if (!sender.isStopped()) {
                responses.offerControl(Frame.control(FrameType.STREAM_END, id, 0));
            }
        } catch (Exception e) {
            if (!sender.isStopped()) {
                sendError(id, TransportException.Reason.REMOTE_FAILURE, describe(e));
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            activeStreams.remove(id);
        }
    }

    private void sendError(long id, TransportException.Reason reason, String message) {
        responses.offerControl(new Frame(FrameType.ERROR, id, reason.ordinal(), ErrorText.encode(message)));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
