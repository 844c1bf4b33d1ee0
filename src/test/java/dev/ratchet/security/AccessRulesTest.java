package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The access decisions without a server: anonymous access as configured ({@code none}, {@code read},
 * {@code read-write}), a verified principal deciding by its own grants only, and the {@code prefix}
 * parameter read the way the controller reads it.
 */
class AccessRulesTest {

    private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("key", "anonymous",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    private static boolean allowed(AuthorizationManager<RequestAuthorizationContext> m, Authentication who,
            MockHttpServletRequest request, Map<String, String> variables) {
        return m.authorize(() -> who, new RequestAuthorizationContext(request, variables)).isGranted();
    }

    private static AccessRules anonymousMay(String... grants) {
        return new AccessRules(new ApiPrincipal("anonymous", List.of(grants).stream().map(Grant::parse).toList()));
    }

    @Test
    void anonymousAccessIsWhatItIsConfiguredToBeAndNeverAdmin() {
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/api/v1/kv/a");
        Map<String, String> key = Map.of("key", "/a");
        AccessRules none = anonymousMay();
        AccessRules read = anonymousMay("kv:read:", "artifacts:read:");
        AccessRules readWrite = anonymousMay("kv:readwrite:", "artifacts:readwrite:");
        assertThat(allowed(none.item(Grant.Resource.KV, Grant.Access.READ, "key"), ANONYMOUS, get, key)).isFalse();
        assertThat(allowed(none.anyGrant(), ANONYMOUS, get, Map.of())).isFalse();
        assertThat(allowed(read.item(Grant.Resource.KV, Grant.Access.READ, "key"), ANONYMOUS, get, key)).isTrue();
        assertThat(allowed(read.item(Grant.Resource.KV, Grant.Access.WRITE, "key"), ANONYMOUS, get, key)).isFalse();
        assertThat(allowed(readWrite.item(Grant.Resource.KV, Grant.Access.WRITE, "key"), ANONYMOUS, get, key)).isTrue();
        assertThat(allowed(readWrite.admin(), ANONYMOUS, get, Map.of())).isFalse();
        assertThat(allowed(readWrite.admin(), null, get, Map.of())).isFalse();
    }

    @Test
    void aVerifiedPrincipalGetsItsOwnGrantsNotTheAnonymousOnes() {
        AccessRules openToAnonymous = anonymousMay("kv:readwrite:");
        Authentication reader = new ApiAuthentication(new ApiPrincipal("token:r", List.of(Grant.parse("kv:read:app/"))));
        MockHttpServletRequest put = new MockHttpServletRequest("PUT", "/api/v1/kv/other");
        assertThat(allowed(openToAnonymous.item(Grant.Resource.KV, Grant.Access.WRITE, "key"), reader, put,
                Map.of("key", "/other"))).isFalse();
        assertThat(allowed(openToAnonymous.item(Grant.Resource.KV, Grant.Access.READ, "key"), reader, put,
                Map.of("key", "/app/x"))).isTrue();
        assertThat(allowed(openToAnonymous.item(Grant.Resource.KV, Grant.Access.READ, "key"), reader, put,
                Map.of())).as("no captured key: refuse").isFalse();
        Authentication admin = new ApiAuthentication(ApiPrincipal.adminToken());
        assertThat(allowed(openToAnonymous.admin(), admin, put, Map.of())).isTrue();
    }

    @Test
    void aListingNeedsOneGrantOverTheWholePrefixAndOnePrefixOnly() {
        AccessRules rules = anonymousMay();
        Authentication reader = new ApiAuthentication(new ApiPrincipal("token:r", List.of(Grant.parse("kv:read:app/"))));
        AuthorizationManager<RequestAuthorizationContext> list = rules.tree(Grant.Resource.KV, Grant.Access.READ);
        MockHttpServletRequest inside = new MockHttpServletRequest("GET", "/api/v1/kv");
        inside.addParameter("prefix", "app/x");
        assertThat(allowed(list, reader, inside, Map.of())).isTrue();
        MockHttpServletRequest everything = new MockHttpServletRequest("GET", "/api/v1/kv");
        assertThat(allowed(list, reader, everything, Map.of())).isFalse();
        MockHttpServletRequest twice = new MockHttpServletRequest("GET", "/api/v1/kv");
        twice.addParameter("prefix", "app/", "other/");
        assertThat(allowed(list, reader, twice, Map.of())).isFalse();
    }
}
