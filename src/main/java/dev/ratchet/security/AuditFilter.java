package dev.ratchet.security;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The audit trail: one line on the logger {@code ratchet.audit} per admin request (everything under
 * {@code /api/v1/admin/}, which includes API token creation and revocation, and the admin-only actuator
 * endpoints), allowed or refused: who (the principal's name, {@code anonymous}, or {@code unauthenticated}
 * when the credential itself was refused), what (method and path; never the query, which may carry
 * secrets), and the result (the final status). Runs around the security chain, so a refusal by
 * Spring Security is logged like a success. Stateless; called from any request thread, and for async
 * requests from the thread that completes them.
 */
public final class AuditFilter extends OncePerRequestFilter {

    private static final Logger audit = LoggerFactory.getLogger("ratchet.audit");
    private final String actuatorBase;

    /** @param actuatorBase the actuator base path (e.g. {@code /actuator}), without a trailing slash */
    public AuditFilter(String actuatorBase) {
        this.actuatorBase = actuatorBase;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!audited(path)) {
            chain.doFilter(request, response);
            return;
        }
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        record(request, response, path);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            }
        } finally {
            if (!async) {
                record(request, response, path);
            }
        }
    }

    /** Admin paths; the probes and the scrape (open by default, and called every few seconds) are not. */
    private boolean audited(String path) {
        if (path.startsWith("/api/v1/admin/") || path.equals("/api/v1/admin")) {
            return true;
        }
        if (!path.equals(actuatorBase) && !path.startsWith(actuatorBase + "/")) {
            return false;
        }
        String rest = path.substring(actuatorBase.length());
        return !(rest.equals("/health") || rest.startsWith("/health/") || rest.equals("/prometheus"));
    }

    private static void record(HttpServletRequest request, HttpServletResponse response, String path) {
        Object who = request.getAttribute(AuditPrincipalRecorder.ATTRIBUTE);
        int status = response.getStatus();
        String result = status < 400 ? "allowed" : status == 401 || status == 403 ? "refused" : "failed";
        audit.info("who={} what=\"{} {}\" result={} status={} from={}", who == null ? "unauthenticated" : who,
                request.getMethod(), path.replace('"', '\''), result, status, request.getRemoteAddr());
    }
}
