package dev.ratchet.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request to a protected path through only with admin credentials: a client certificate that the
 * HTTPS connector verified (when {@code server.ssl.client-auth} is {@code want} or {@code need}), or
 * {@code Authorization: Bearer <ratchet.admin-token>}. No credentials: 401 with a
 * {@code WWW-Authenticate} challenge. Wrong credentials, or none configured on this node: 403. Both are
 * counted in {@code ratchet_admin_auth_failures_total{reason}} and logged without the credential.
 */
public final class AdminAuthFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminAuthFilter.class);
    private static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final AdminToken token;
    private final ProtectedPaths paths;
    private final Counter missing;
    private final Counter invalid;
    private final Counter disabled;

    public AdminAuthFilter(AdminToken token, ProtectedPaths paths, MeterRegistry registry) {
        this.token = token;
        this.paths = paths;
        this.missing = failures(registry, "missing");
        this.invalid = failures(registry, "invalid");
        this.disabled = failures(registry, "disabled");
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("ratchet.admin.auth.failures").tag("reason", reason)
                .description("Admin requests refused: no credentials (401), wrong ones or admin disabled (403)")
                .register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.isProtected(pathOf(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object certs = request.getAttribute(CERT_ATTRIBUTE);
        if (certs instanceof X509Certificate[] chainPresented && chainPresented.length > 0) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> bearer = AdminToken.bearer(request.getHeader("Authorization"));
        if (bearer.isEmpty()) {
            missing.increment();
            log.info("admin request {} {} from {} refused: no credentials", request.getMethod(), pathOf(request),
                    request.getRemoteAddr());
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                    "admin credentials required: Authorization: Bearer <ratchet.admin-token> or a client certificate");
            return;
        }
        if (!token.isConfigured()) {
            disabled.increment();
            log.warn("admin request {} {} from {} refused: ratchet.admin-token is not set on this node",
                    request.getMethod(), pathOf(request), request.getRemoteAddr());
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                    "admin operations are disabled on this node: ratchet.admin-token is not set");
            return;
        }
        if (!token.matches(bearer.get())) {
            invalid.increment();
            log.warn("admin request {} {} from {} refused: wrong token", request.getMethod(), pathOf(request),
                    request.getRemoteAddr());
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", "the admin token is not valid");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static void refuse(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ratchet-admin\"");
        }
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(String.format(Locale.ROOT,
                "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}", title, status, detail));
    }
}
