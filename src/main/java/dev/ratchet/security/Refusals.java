package dev.ratchet.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The three ways the filter chain says no, each as problem+json with a stable type: the firewall's 400
 * ({@link RequestRejectedHandler}), 401 with a {@code WWW-Authenticate: Bearer} challenge when no
 * credentials were presented ({@link AuthenticationEntryPoint}), 403 when the principal's grants do not
 * cover the request ({@link AccessDeniedHandler}). Thread-safe.
 */
public final class Refusals implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(Refusals.class);

    private final AuthFailures failures;

    public Refusals(AuthFailures failures) {
        this.failures = failures;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        failures.count(AuthFailures.Reason.MISSING);
        log.info("request {} {} from {} refused: no credentials", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr());
        response.setHeader("WWW-Authenticate", "Bearer realm=\"ratchet\"");
        Problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, Problems.UNAUTHENTICATED, "Unauthorized",
                "credentials required: Authorization: Bearer <ratchet.admin-token or an API token>, "
                        + "or a client certificate");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        failures.count(AuthFailures.Reason.FORBIDDEN);
        log.info("request {} {} from {} refused: not granted to {}", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), request.getUserPrincipal() == null ? "?" : request.getUserPrincipal().getName());
        Problems.write(response, HttpServletResponse.SC_FORBIDDEN, Problems.FORBIDDEN, "Forbidden",
                "the credentials presented do not grant this request");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        log.info("request from {} rejected by the firewall: {}", request.getRemoteAddr(), e.getMessage());
        Problems.write(response, HttpServletResponse.SC_BAD_REQUEST, Problems.REQUEST_REJECTED, "Request rejected",
                "the request path or headers are not in canonical form (" + e.getMessage()
                        + "); send a normalised, minimally encoded path");
    }
}
