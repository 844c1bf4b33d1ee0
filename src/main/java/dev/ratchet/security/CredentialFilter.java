package dev.ratchet.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The authentication step of the filter chain: turns a request's credentials into an
 * {@link ApiAuthentication} (see {@link CredentialResolver}), lets a request without credentials go on
 * (the anonymous filter and the access rules decide about it), and refuses wrong credentials at once with
 * 403 on every path, so that a guessed token learns nothing about which paths exist. Never logs a
 * credential. Thread-safe.
 */
public final class CredentialFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CredentialFilter.class);
    private static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final CredentialResolver resolver;
    private final AuthFailures failures;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public CredentialFilter(CredentialResolver resolver, AuthFailures failures) {
        this.resolver = resolver;
        this.failures = failures;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        X509Certificate[] certificates = request.getAttribute(CERT_ATTRIBUTE) instanceof X509Certificate[] c ? c : null;
        CredentialResolver.Outcome outcome = resolver.resolve(request.getHeader("Authorization"), certificates);
        if (outcome instanceof CredentialResolver.Outcome.Refused refused) {
            failures.count(refused.reason());
            log.warn("request {} {} from {} refused: {}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), refused.detail());
            Problems.write(response, HttpServletResponse.SC_FORBIDDEN, Problems.INVALID_CREDENTIALS,
                    "Invalid credentials", refused.detail());
            return;
        }
        if (outcome instanceof CredentialResolver.Outcome.Verified verified) {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(new ApiAuthentication(verified.principal()));
            contexts.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
