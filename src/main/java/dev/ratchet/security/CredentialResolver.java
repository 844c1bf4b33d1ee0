package dev.ratchet.security;

import dev.ratchet.admin.AdminToken;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Decides who presented a request's credentials. A bearer token is tried first: the configured
 * {@code ratchet.admin-token} (admin), else an API token from the replicated state. Without a bearer
 * token, a client certificate that the HTTPS connector verified counts: with no
 * {@code ratchet.api.certificate-grants} configured, every such certificate is admin (the connector's
 * trust bundle is the admin CA, as before); with some configured, only the listed subject common names
 * get their listed grants. Thread-safe when the token book is.
 */
public final class CredentialResolver {

    /** Looks API tokens up; see {@code ApiTokens}. */
    @FunctionalInterface
    public interface TokenBook {
        /** The principal of a valid, unrevoked API token, or empty. Must not throw for any input. */
        Optional<ApiPrincipal> principalFor(String bearer);
    }

    /** The result of looking at a request's credentials. */
    public sealed interface Outcome {
        /** No credentials at all: the request continues as anonymous. */
        record None() implements Outcome {
        }

        /** Valid credentials. */
        record Verified(ApiPrincipal principal) implements Outcome {
        }

        /** Credentials that are wrong; {@code detail} is safe to show and holds no secret. */
        record Refused(AuthFailures.Reason reason, String detail) implements Outcome {
        }
    }

    private final AdminToken adminToken;
    private final TokenBook tokens;
    private final Map<String, List<Grant>> certificateGrants;

    /**
     * @param certificateGrants grants per certificate subject common name; empty: every verified
     *        certificate is admin
     */
    public CredentialResolver(AdminToken adminToken, TokenBook tokens, Map<String, List<Grant>> certificateGrants) {
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.certificateGrants = Map.copyOf(certificateGrants);
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param certificates the chain the connector verified ({@code jakarta.servlet.request.X509Certificate}), or null
     */
    public Outcome resolve(String authorization, X509Certificate[] certificates) {
        Optional<String> bearer = AdminToken.bearer(authorization);
        if (bearer.isPresent()) {
            return bearer(bearer.get());
        }
        if (certificates != null && certificates.length > 0) {
            return certificate(certificates[0]);
        }
        return new Outcome.None();
    }

    private Outcome bearer(String token) {
        if (adminToken.matches(token)) {
            return new Outcome.Verified(ApiPrincipal.adminToken());
        }
        Optional<ApiPrincipal> api = tokens.principalFor(token);
        if (api.isPresent()) {
            return new Outcome.Verified(api.get());
        }
        if (!adminToken.isConfigured() && !ApiTokenFormat.looksLikeApiToken(token)) {
            return new Outcome.Refused(AuthFailures.Reason.DISABLED,
                    "admin operations are disabled on this node: ratchet.admin-token is not set");
        }
        return new Outcome.Refused(AuthFailures.Reason.INVALID, "the bearer token is not valid");
    }

    private Outcome certificate(X509Certificate certificate) {
        String cn = commonName(certificate);
        if (certificateGrants.isEmpty()) {
            return new Outcome.Verified(new ApiPrincipal("cert:" + cn, List.of(Grant.ADMIN)));
        }
        List<Grant> grants = certificateGrants.get(cn);
        if (grants == null || grants.isEmpty()) {
            return new Outcome.Refused(AuthFailures.Reason.INVALID,
                    "the client certificate's subject has no grants (ratchet.api.certificate-grants)");
        }
        return new Outcome.Verified(new ApiPrincipal("cert:" + cn, grants));
    }

    /** The subject's CN, or the whole subject DN when it has none. */
    static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // Fall through: the connector accepted the certificate, so name it by its DN.
        }
        return dn;
    }
}
