package dev.ratchet.api;

import dev.ratchet.join.JoinProtocol;
import dev.ratchet.node.NoLeaderException;
import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.node.OutcomeUnknownException;
import dev.ratchet.node.ProposalLostException;
import dev.ratchet.state.ChangeHistory;
import dev.ratchet.state.KeyPaths;
import dev.ratchet.watch.WatchLimitException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of the API into an RFC 9457 problem detail with a status a client can act on.
 * Spring's own errors (unsupported media type, missing parameter, ...) come through the base class as
 * problem details too. Anything unexpected is logged with its stack and answered with a 500 that does
 * not leak internals.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler({CompletionException.class, ExecutionException.class})
    ResponseEntity<ProblemDetail> unwrap(Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return map(cause);
    }

    @ExceptionHandler({BadRequestException.class, PayloadTooLargeException.class, NotFoundException.class,
        PreconditionFailedException.class, NoLeaderException.class, ProposalLostException.class,
        OutcomeUnknownException.class, StoreFullException.class,
        JoinProtocol.JoinRefusedException.class, NodeUnavailableException.class,
        TimeoutException.class, IllegalArgumentException.class, MethodArgumentTypeMismatchException.class,
        ChangeHistory.CompactedException.class, WatchLimitException.class})
    ResponseEntity<ProblemDetail> known(Exception e) {
        return map(e);
    }

    static ResponseEntity<ProblemDetail> map(Throwable e) {
        if (e instanceof PreconditionFailedException p) {
            ResponseEntity.BodyBuilder b = ResponseEntity.status(HttpStatus.PRECONDITION_FAILED);
            if (p.currentEtag() != null) {
                b.eTag(EntityTags.quote(p.currentEtag()));
            }
            return b.body(problem(HttpStatus.PRECONDITION_FAILED, "Precondition failed", p.getMessage()));
        }
        if (e instanceof NoLeaderException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "No leader", e.getMessage()));
        }
        if (e instanceof JoinProtocol.JoinRefusedException) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN)
                    .body(problem(HttpStatus.FORBIDDEN, "Join refused", e.getMessage()));
        }
        if (e instanceof ProposalLostException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Leader changed", e.getMessage()));
        }
        if (e instanceof NodeUnavailableException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Node unavailable", e.getMessage()));
        }
        if (e instanceof OutcomeUnknownException) {
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
                    .body(problem(HttpStatus.GATEWAY_TIMEOUT, "Outcome unknown", e.getMessage()));
        }
        if (e instanceof TimeoutException) {
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(problem(HttpStatus.GATEWAY_TIMEOUT,
                    "Timed out", "the cluster did not answer in time; the outcome of a write is unknown"));
        }
        if (e instanceof ChangeHistory.CompactedException c) {
            ProblemDetail p = problem(HttpStatus.GONE, "Revision compacted", c.getMessage());
            p.setProperty("oldestAvailable", c.oldestAvailable());
            return ResponseEntity.status(HttpStatus.GONE).body(p);
        }
        if (e instanceof WatchLimitException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many watches", e.getMessage()));
        }
        if (e instanceof NotFoundException) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage()));
        }
        if (e instanceof PayloadTooLargeException) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", e.getMessage()));
        }
        if (e instanceof StoreFullException) {
            return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE)
                    .body(problem(HttpStatus.INSUFFICIENT_STORAGE, "Store full", e.getMessage()));
        }
        if (e instanceof KeyPaths.InvalidPathException) {
            return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid key", e.getMessage()));
        }
        if (e instanceof MethodArgumentTypeMismatchException || e instanceof BadParameterException) {
            // Spring's conversion failure and RequestParts' own one answer alike.
            String detail = e instanceof MethodArgumentTypeMismatchException m ? BadParameterException.detail(m.getName())
                    : e.getMessage();
            return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Bad parameter", detail));
        }
        if (e instanceof BadRequestException || e instanceof IllegalArgumentException) {
            return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage()));
        }
        log.error("unexpected API failure", e);
        return ResponseEntity.internalServerError()
                .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "see the node's log"));
    }

    /** Every problem type this API answers is documented in docs/problems.md under this prefix. */
    static final String TYPE_PREFIX = "urn:ratchet:problem:";

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(java.net.URI.create(TYPE_PREFIX + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')));
        return p;
    }
}
