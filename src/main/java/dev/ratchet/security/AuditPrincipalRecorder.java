package dev.ratchet.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Inside the security chain, after authentication and before authorization: leaves the principal's name
 * in a request attribute for {@link AuditFilter}, which runs outside the chain (where the final status is
 * known but the security context is already cleared). Stateless; called from any request thread.
 */
public final class AuditPrincipalRecorder extends OncePerRequestFilter {

    /** The request attribute holding the principal's name (see {@link ApiPrincipal#name()}). */
    static final String ATTRIBUTE = AuditPrincipalRecorder.class.getName() + ".principal";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ATTRIBUTE, nameOf(SecurityContextHolder.getContext().getAuthentication()));
        chain.doFilter(request, response);
    }

    private static String nameOf(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return "anonymous";
        }
        return authentication.getPrincipal() instanceof ApiPrincipal p ? p.name() : authentication.getName();
    }
}
