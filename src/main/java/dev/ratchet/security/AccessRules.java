package dev.ratchet.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The authorization decisions of the filter chain, over the {@link ApiPrincipal} of a request (or the
 * anonymous principal when it presented no credentials). Key and artifact paths come from the path
 * variables of the rule's matcher, which decodes them the way the dispatcher does for the controller;
 * prefixes come from the single {@code prefix} query parameter (several are refused). Thread-safe.
 */
public final class AccessRules {

    private final ApiPrincipal anonymous;

    /** @param anonymous what a request without credentials may do */
    public AccessRules(ApiPrincipal anonymous) {
        this.anonymous = anonymous;
    }

    /** Admin operations: admin token, a token with the admin grant, or an admin certificate. */
    public AuthorizationManager<RequestAuthorizationContext> admin() {
        return (auth, ctx) -> decide(principal(auth).isAdmin());
    }

    /** The cluster's shape: anyone who may do anything at all. */
    public AuthorizationManager<RequestAuthorizationContext> anyGrant() {
        return (auth, ctx) -> decide(principal(auth).hasAnyGrant());
    }

    /** One key or artifact, named by the path variable {@code variable} ({@code {*name}}: a leading slash). */
    public AuthorizationManager<RequestAuthorizationContext> item(Grant.Resource resource, Grant.Access access,
            String variable) {
        return (auth, ctx) -> {
            String captured = ctx.getVariables().get(variable);
            if (captured == null) {
                return decide(false);
            }
            String path = captured.startsWith("/") ? captured.substring(1) : captured;
            return decide(principal(auth).may(resource, access, path));
        };
    }

    /** A listing or a prefix delete: the whole tree under {@code ?prefix=} (absent: everything). */
    public AuthorizationManager<RequestAuthorizationContext> tree(Grant.Resource resource, Grant.Access access) {
        return (auth, ctx) -> {
            String prefix = singlePrefix(ctx.getRequest());
            return decide(prefix != null && principal(auth).mayTree(resource, access, prefix));
        };
    }

    /**
     * Calls whose keys are not in the path (transactions name theirs in the body; leases delete the keys
     * attached to them, whoever wrote them): read and write on the resource's whole tree. Strict on
     * purpose; a per-key check of transaction bodies would have to parse them before authorizing.
     */
    public AuthorizationManager<RequestAuthorizationContext> wholeTree(Grant.Resource resource) {
        return (auth, ctx) -> {
            ApiPrincipal p = principal(auth);
            return decide(p.mayTree(resource, Grant.Access.READ, "") && p.mayTree(resource, Grant.Access.WRITE, ""));
        };
    }

    /** The one {@code prefix} parameter ("" when absent), or null when there are several. */
    private static String singlePrefix(HttpServletRequest request) {
        String[] values = request.getParameterValues("prefix");
        if (values == null || values.length == 0) {
            return "";
        }
        return values.length == 1 ? values[0] : null;
    }

    private ApiPrincipal principal(Supplier<? extends Authentication> auth) {
        Authentication a = auth.get();
        return a instanceof ApiAuthentication api && api.isAuthenticated() ? api.getPrincipal() : anonymous;
    }

    private static AuthorizationResult decide(boolean granted) {
        return new AuthorizationDecision(granted);
    }
}
