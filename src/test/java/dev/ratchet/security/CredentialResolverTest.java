package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.admin.AdminToken;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.KeyType;
import dev.ratchet.trust.TrustSettings;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who a request is, from its Authorization header and the certificate the connector verified. */
class CredentialResolverTest {

    private static final String ADMIN = "resolver-test-admin-token-0123456789";
    private static final String API = ApiTokenFormat.PREFIX + "0123456789ab." + "s".repeat(ApiTokenFormat.SECRET_LENGTH);
    private static final ApiPrincipal READER = new ApiPrincipal("token:reader", List.of(Grant.parse("kv:read:")));
    private static final CredentialResolver.TokenBook BOOK = bearer -> bearer.equals(API) ? Optional.of(READER) : Optional.empty();

    private final X509Certificate cert = Certificates.seed(
            new TrustSettings(Duration.ofDays(1), 2, Duration.ofMinutes(1), KeyType.EC_P256), Instant.now(),
            new SecureRandom()).newest().certificate();
    private final String cn = CredentialResolver.commonName(cert);

    private static ApiPrincipal verified(CredentialResolver.Outcome o) {
        assertThat(o).isInstanceOf(CredentialResolver.Outcome.Verified.class);
        return ((CredentialResolver.Outcome.Verified) o).principal();
    }

    private static AuthFailures.Reason refused(CredentialResolver.Outcome o) {
        assertThat(o).isInstanceOf(CredentialResolver.Outcome.Refused.class);
        return ((CredentialResolver.Outcome.Refused) o).reason();
    }

    @Test
    void bearerTokens() {
        CredentialResolver r = new CredentialResolver(new AdminToken(ADMIN), BOOK, Map.of());
        assertThat(verified(r.resolve("Bearer " + ADMIN, null)).isAdmin()).isTrue();
        assertThat(verified(r.resolve("bearer " + API, null))).isEqualTo(READER);
        assertThat(refused(r.resolve("Bearer " + ADMIN + "x", null))).isEqualTo(AuthFailures.Reason.INVALID);
        assertThat(refused(r.resolve("Bearer " + API.replace('s', 't'), null))).isEqualTo(AuthFailures.Reason.INVALID);
        assertThat(r.resolve(null, null)).isInstanceOf(CredentialResolver.Outcome.None.class);
        assertThat(r.resolve("Basic " + ADMIN, null)).isInstanceOf(CredentialResolver.Outcome.None.class);
        assertThat(r.resolve("Bearer " + "x".repeat(AdminToken.MAX_HEADER_LENGTH), null))
                .isInstanceOf(CredentialResolver.Outcome.None.class);
        // A bearer token is checked first: a wrong one is not rescued by a certificate.
        assertThat(refused(r.resolve("Bearer nope-nope-nope-nope", new X509Certificate[] {cert})))
                .isEqualTo(AuthFailures.Reason.INVALID);
    }

    @Test
    void withoutAnAdminTokenOnlyApiTokensAndCertificatesWork() {
        CredentialResolver r = new CredentialResolver(new AdminToken(null), BOOK, Map.of());
        assertThat(refused(r.resolve("Bearer " + ADMIN, null))).isEqualTo(AuthFailures.Reason.DISABLED);
        assertThat(verified(r.resolve("Bearer " + API, null))).isEqualTo(READER);
        assertThat(verified(r.resolve(null, new X509Certificate[] {cert})).isAdmin()).isTrue();
    }

    @Test
    void certificateGrantsByCommonName() {
        CredentialResolver listed = new CredentialResolver(new AdminToken(ADMIN), BOOK,
                Map.of(cn, List.of(Grant.parse("artifacts:write:builds/"))));
        ApiPrincipal p = verified(listed.resolve(null, new X509Certificate[] {cert}));
        assertThat(p.name()).isEqualTo("cert:" + cn);
        assertThat(p.isAdmin()).isFalse();
        assertThat(p.may(Grant.Resource.ARTIFACTS, Grant.Access.WRITE, "builds/x")).isTrue();

        CredentialResolver other = new CredentialResolver(new AdminToken(ADMIN), BOOK,
                Map.of("someone-else", List.of(Grant.ADMIN)));
        assertThat(refused(other.resolve(null, new X509Certificate[] {cert}))).isEqualTo(AuthFailures.Reason.INVALID);
    }

    @Test
    void apiTokenShape() {
        assertThat(ApiTokenFormat.looksLikeApiToken(API)).isTrue();
        assertThat(ApiTokenFormat.looksLikeApiToken(API + "x")).isFalse();
        assertThat(ApiTokenFormat.looksLikeApiToken(API.replace("0123456789ab", "0123456789AB"))).isFalse();
        assertThat(ApiTokenFormat.looksLikeApiToken(API.replace('.', '-'))).isFalse();
        assertThat(ApiTokenFormat.looksLikeApiToken(ADMIN)).isFalse();
        assertThat(RatchetFirewall.encodedUnreserved("/api/v1/%61dmin")).isEqualTo("a");
        assertThat(RatchetFirewall.encodedUnreserved("/api/v1/kv/a%20b%C3%A9")).isNull();
        assertThat(RatchetFirewall.encodedUnreserved("/x%7e")).as("URLEncoder writes ~ as %7E").isNull();
        assertThat(RatchetFirewall.encodedUnreserved("/x%5F")).isEqualTo("_");
    }
}
