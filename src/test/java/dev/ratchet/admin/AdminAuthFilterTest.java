package dev.ratchet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The admin filter without a server: who gets through, with which status, and what is counted. */
class AdminAuthFilterTest {

    private static final String TOKEN = "filter-test-token-0123456789abcdef";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private MockHttpServletResponse run(AdminAuthFilter filter, MockHttpServletRequest request, boolean[] passed)
            throws ServletException, IOException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                passed[0] = true;
            }
        };
        filter.doFilter(request, response, chain);
        return response;
    }

    private double failures(String reason) {
        return registry.get("ratchet.admin.auth.failures").tag("reason", reason).counter().count();
    }

    @Test
    void tokenMissingWrongAndRight() throws Exception {
        AdminAuthFilter filter = new AdminAuthFilter(new AdminToken(TOKEN), new ProtectedPaths("/actuator", false, false), registry);
        boolean[] passed = {false};
        MockHttpServletResponse none = run(filter, new MockHttpServletRequest("GET", "/actuator/roots"), passed);
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.getContentType()).startsWith("application/problem+json");
        assertThat(passed[0]).isFalse();

        MockHttpServletRequest basic = new MockHttpServletRequest("POST", "/api/v1/admin/snapshot");
        basic.addHeader("Authorization", "Basic " + TOKEN);
        assertThat(run(filter, basic, passed).getStatus()).isEqualTo(401);

        MockHttpServletRequest wrong = new MockHttpServletRequest("POST", "/api/v1/admin/snapshot");
        wrong.addHeader("Authorization", "Bearer " + TOKEN.substring(1));
        MockHttpServletResponse refused = run(filter, wrong, passed);
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getContentAsString()).doesNotContain(TOKEN.substring(1));
        assertThat(passed[0]).isFalse();

        MockHttpServletRequest huge = new MockHttpServletRequest("GET", "/actuator/roots");
        huge.addHeader("Authorization", "Bearer " + "x".repeat(AdminToken.MAX_HEADER_LENGTH));
        assertThat(run(filter, huge, passed).getStatus()).isEqualTo(401);

        MockHttpServletRequest right = new MockHttpServletRequest("GET", "/actuator/roots");
        right.addHeader("Authorization", "bearer " + TOKEN);
        assertThat(run(filter, right, passed).getStatus()).isEqualTo(200);
        assertThat(passed[0]).isTrue();

        assertThat(failures("missing")).isEqualTo(3);
        assertThat(failures("invalid")).isEqualTo(1);
        assertThat(failures("disabled")).isZero();
    }

    @Test
    void withoutAConfiguredTokenEveryBearerIsRefusedAsDisabled() throws Exception {
        AdminAuthFilter filter = new AdminAuthFilter(new AdminToken(null), new ProtectedPaths("/actuator", false, false), registry);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/consensus");
        request.addHeader("Authorization", "Bearer anything-at-all-0123456789");
        boolean[] passed = {false};
        MockHttpServletResponse response = run(filter, request, passed);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("ratchet.admin-token is not set");
        assertThat(passed[0]).isFalse();
        assertThat(failures("disabled")).isEqualTo(1);
    }

    @Test
    void aVerifiedClientCertificateIsEnough() throws Exception {
        AdminAuthFilter filter = new AdminAuthFilter(new AdminToken(null), new ProtectedPaths("/actuator", false, false), registry);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/admin/roots/rotate");
        X509Certificate cert = dev.ratchet.trust.Certificates.seed(
                new dev.ratchet.trust.TrustSettings(java.time.Duration.ofDays(1), 2, java.time.Duration.ofMinutes(1),
                        dev.ratchet.trust.KeyType.EC_P256),
                java.time.Instant.now(), new java.security.SecureRandom()).newest().certificate();
        request.setAttribute("jakarta.servlet.request.X509Certificate", new X509Certificate[] {cert});
        boolean[] passed = {false};
        assertThat(run(filter, request, passed).getStatus()).isEqualTo(200);
        assertThat(passed[0]).isTrue();
    }

    @Test
    void probesAndScrapeAreOpenUnlessConfiguredOtherwise() throws Exception {
        ProtectedPaths open = new ProtectedPaths("/actuator", false, false);
        assertThat(open.isProtected("/actuator/health")).isFalse();
        assertThat(open.isProtected("/actuator/health/readiness")).isFalse();
        assertThat(open.isProtected("/actuator/prometheus")).isFalse();
        assertThat(open.isProtected("/api/v1/kv/x")).isFalse();
        assertThat(open.isProtected("/actuator/healthx")).isTrue();
        assertThat(open.isProtected("/actuator/health/../roots")).isTrue();
        assertThat(open.isProtected("/actuator/health/..;/roots")).isTrue();
        assertThat(open.isProtected("//api/v1//admin/backup")).isTrue();
        assertThat(open.isProtected("/../actuator/health")).isTrue();
        assertThat(open.isProtected("/actuator")).isTrue();

        ProtectedPaths closed = new ProtectedPaths("/manage/", true, true);
        assertThat(closed.isProtected("/manage/health/liveness")).isTrue();
        assertThat(closed.isProtected("/manage/prometheus")).isTrue();
        assertThat(closed.isProtected("/actuator/roots")).isFalse();
    }
}
