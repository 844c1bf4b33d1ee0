package dev.ratchet.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request whose credential was verified: the Spring Security view of an {@link ApiPrincipal}. Its
 * authorities are the grant strings, for logs and method security; the access rules use the principal.
 * Immutable.
 */
public final class ApiAuthentication extends AbstractAuthenticationToken {

    private final ApiPrincipal principal;

    public ApiAuthentication(ApiPrincipal principal) {
        super(principal.grants().stream().map(g -> new SimpleGrantedAuthority(g.toString())).toList());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        // The secret is not kept past verification.
        return "";
    }

    @Override
    public ApiPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
