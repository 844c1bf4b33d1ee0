package dev.ratchet.api;

import dev.ratchet.security.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error dispatch ({@code /error}) as problem+json, replacing Spring Boot's
 * whitelabel JSON: errors raised outside a controller (a filter's {@code sendError}, an exception in a
 * filter) reach a client in the same shape as every other refusal. Only error dispatches reach it; a
 * direct request to {@code /error} is refused by the access rules.
 */
@RestController
class ErrorPages implements ErrorController {

    // No "produces": an error page answers whatever the client said it accepts.
    @RequestMapping(path = "/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null ? HttpStatus.valueOf(i)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, status.is5xxServerError()
                ? "see the node's log" : "the request could not be handled (" + status.getReasonPhrase() + ")");
        p.setType(URI.create(Problems.HTTP_ERROR));
        p.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
