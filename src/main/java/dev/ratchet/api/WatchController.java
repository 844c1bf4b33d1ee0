package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.KeyPaths;
import dev.ratchet.watch.EventSink;
import dev.ratchet.watch.Watch;
import dev.ratchet.watch.WatchHub;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * {@code GET /api/v1/watch?prefix=&fromRevision=N}: every change under the prefix from revision N
 * (inclusive) as Server-Sent Events. Each {@code change} event carries all the prefix's changes at one
 * revision and has that revision as its {@code id}, so a client that reconnects with
 * {@code Last-Event-ID} resumes exactly after it. {@code progress} events (id = the revision the
 * stream is complete to) keep an idle stream's resume point current; a {@code cancelled} event says why
 * the server ended a stream. Without {@code fromRevision} the watch starts after the node's current
 * revision, made linearizable first unless {@code stale=true}. A revision that left the node's history
 * is a 410 naming the oldest available one. Path for authorization rules: {@code /api/v1/watch}.
 */
@RestController
@RequestMapping("/api/v1/watch")
class WatchController {

    /** A stream ends after this long (the response simply ends, no event); the client resumes by revision. */
    static final Duration MAX_STREAM = Duration.ofMinutes(30);

    private final Replicator replicator;
    private final WatchHub hub;
    private final ApiProperties properties;

    WatchController(Replicator replicator, WatchHub hub, ApiProperties properties) {
        this.replicator = replicator;
        this.hub = hub;
        this.properties = properties;
    }

    @GetMapping
    CompletableFuture<ResponseEntity<ResponseBodyEmitter>> watch(@RequestParam(defaultValue = "") String prefix,
            @RequestParam(required = false) Long fromRevision,
            @RequestParam(defaultValue = "false") boolean stale,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        String validPrefix = KeyPaths.requireValidPrefix(prefix);
        Long resumeFrom = resumePoint(lastEventId, fromRevision);
        CompletableFuture<Void> barrier = stale ? CompletableFuture.completedFuture(null)
                : replicator.linearizableRead().orTimeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return barrier.thenApply(v -> {
            long from = resumeFrom != null ? resumeFrom : replicator.state().history().head() + 1;
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(MAX_STREAM.toMillis());
            Watch watch = hub.open(validPrefix, from, new SseSink(emitter));
            emitter.onCompletion(watch::close);
            emitter.onTimeout(watch::close);
            emitter.onError(e -> watch.close());
            return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("X-Accel-Buffering", "no")
                    .contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        });
    }

    /** Last-Event-ID (a reconnecting EventSource) wins over fromRevision: it is where the client got to. */
    private static Long resumePoint(String lastEventId, Long fromRevision) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                long last = Long.parseLong(lastEventId.trim());
                if (last < 0) {
                    throw new NumberFormatException();
                }
                return last + 1;
            } catch (NumberFormatException e) {
                throw new BadRequestException("Last-Event-ID must be a revision (a number >= 0), not '" + lastEventId + "'");
            }
        }
        if (fromRevision == null || fromRevision == 0) {
            return null;
        }
        if (fromRevision < 0) {
            throw new BadRequestException("fromRevision must be >= 1 (or 0 / absent for 'from now')");
        }
        return fromRevision;
    }

    /**
     * Writes the hub's SSE frames as they are (the hub encodes each batch once for all its watchers):
     * one write and one flush per call. The emitter serializes concurrent sends itself.
     */
    private static final class SseSink implements EventSink {
        private final ResponseBodyEmitter emitter;

        SseSink(ResponseBodyEmitter emitter) {
            this.emitter = emitter;
        }

        @Override
        public void send(byte[] frames) throws IOException {
            emitter.send(frames, MediaType.TEXT_EVENT_STREAM);
        }

        @Override
        public void close() {
            try {
                emitter.complete();
            } catch (IllegalStateException clientGone) {
                // The container saw the client go (onError) while this thread ended the stream: it has
                // already ended the request, and Tomcat refuses a late completion from this thread.
            }
        }
    }
}
