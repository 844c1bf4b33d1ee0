package dev.ratchet.app;

import dev.ratchet.admin.AdminToken;
import dev.ratchet.config.AdminProperties;
import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.security.AccessRules;
import dev.ratchet.security.ApiTokens;
import dev.ratchet.security.ApiPrincipal;
import dev.ratchet.security.AuthFailures;
import dev.ratchet.security.AuditFilter;
import dev.ratchet.security.AuditPrincipalRecorder;
import dev.ratchet.security.BodyLimitFilter;
import dev.ratchet.security.CredentialFilter;
import dev.ratchet.security.CredentialResolver;
import dev.ratchet.security.Grant;
import dev.ratchet.security.ProblemErrorReportValve;
import dev.ratchet.security.RatchetFirewall;
import dev.ratchet.security.Refusals;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The one filter chain every HTTP request passes: {@link RatchetFirewall} first, then credentials
 * ({@link CredentialFilter}), then the access rules below, written against the paths the dispatcher
 * matches and denying whatever they do not list. Asynchronous and error dispatches of a request that was
 * already let in are not decided again.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * There are no user names or passwords: {@link CredentialFilter} verifies tokens and certificates itself.
     * This bean says so, and keeps Spring Boot from creating a default user with a generated password.
     */
    @Bean
    AuthenticationManager noPasswordLogins() {
        return authentication -> {
            throw new ProviderNotFoundException("Ratchet has no password logins; use a bearer token or a client certificate");
        };
    }

    /**
     * No observation of the security chain's filters, authentications or authorizations. With these off,
     * Spring Security builds the chain without its observation decorator, which otherwise wraps every filter
     * of every request in an object and a map lookup even when the observations themselves are disabled
     * (issue 14: about 4% of a node's request-handling CPU in a profile under load). The http.server.requests timers and
     * the audit log already say what operators need of a request.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    AuthFailures authFailures(MeterRegistry registry) {
        return new AuthFailures(registry);
    }

    @Bean
    Refusals refusals(AuthFailures failures) {
        return new Refusals(failures);
    }

    @Bean
    WebSecurityCustomizer firewall(Refusals refusals) {
        return web -> web.httpFirewall(new RatchetFirewall()).requestRejectedHandler(refusals);
    }

    /**
     * Tomcat's own error page as problem+json. Runs after Spring Boot's customizer (which adds a plain
     * {@link ErrorReportValve} to the host), removes that valve and adds ours.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            if (host instanceof StandardHost standard) {
                // Else the host adds a plain ErrorReportValve of its own when it starts.
                standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemErrorReportValve());
        });
    }

    @Bean
    ApiTokens apiTokens(Replicator replicator) {
        return new ApiTokens(replicator, Clock.systemUTC(), new SecureRandom());
    }

    @Bean
    CredentialResolver credentialResolver(AdminToken adminToken, ApiTokens tokens, ApiProperties api) {
        Map<String, List<Grant>> certificateGrants = new LinkedHashMap<>();
        api.certificateGrants().forEach((cn, grants) ->
                certificateGrants.put(cn, grants.stream().map(Grant::parse).toList()));
        return new CredentialResolver(adminToken, tokens, certificateGrants);
    }

    @Bean
    AccessRules accessRules(ApiProperties api) {
        List<Grant> grants = switch (api.anonymous()) {
            case NONE -> List.of();
            case READ -> List.of(Grant.parse("kv:read:"), Grant.parse("artifacts:read:"));
            case READ_WRITE -> List.of(Grant.parse("kv:readwrite:"), Grant.parse("artifacts:readwrite:"));
        };
        if (!grants.isEmpty()) {
            log.warn("ratchet.api.anonymous={}: requests without credentials may {} every key and artifact; "
                    + "set it to none and hand out API tokens", api.anonymous(), grants.get(0).write() ? "read and write" : "read");
        }
        return new AccessRules(new ApiPrincipal("anonymous", grants));
    }

    /** The audit log, around the security chain so that refusals are logged with their final status. */
    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(
            @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBase) {
        String base = actuatorBase.endsWith("/") ? actuatorBase.substring(0, actuatorBase.length() - 1) : actuatorBase;
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(base));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, CredentialResolver resolver, AuthFailures failures,
            Refusals refusals, AccessRules rules, AdminProperties admin, ApiProperties api,
            @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBase) throws Exception {
        String base = actuatorBase.endsWith("/") ? actuatorBase.substring(0, actuatorBase.length() - 1) : actuatorBase;
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .logout(l -> l.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                // Controllers set their own caching headers (ETags on documents and artifacts).
                .headers(h -> h.cacheControl(c -> c.disable()))
                .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                .addFilterBefore(new BodyLimitFilter((int) api.maxJsonBody().toBytes()), SecurityContextHolderFilter.class)
                .addFilterBefore(new CredentialFilter(resolver, failures), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new AuditPrincipalRecorder(), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    // Open: a joining node has no credentials but its join token, checked by the join protocol.
                    a.requestMatchers(path.matcher(HttpMethod.POST, "/api/v1/cluster/join"),
                            path.matcher(HttpMethod.POST, "/api/v1/cluster/join/challenge")).permitAll();
                    a.requestMatchers(path.matcher(HttpMethod.GET, "/api/v1/cluster/roots")).permitAll();
                    // Open: a node on an empty directory asks this before it may found a cluster, with no
                    // credentials yet; the answer says only "member" and is signed with the join token.
                    a.requestMatchers(path.matcher(HttpMethod.GET, "/api/v1/bootstrap/status")).permitAll();
                    // The API's description (OpenAPI document and its browser) says nothing a caller's grants hide.
                    a.requestMatchers(path.matcher(HttpMethod.GET, "/v3/api-docs"), path.matcher(HttpMethod.GET, "/v3/api-docs/**"),
                            path.matcher(HttpMethod.GET, "/v3/api-docs.yaml"), path.matcher(HttpMethod.GET, "/swagger-ui.html"),
                            path.matcher(HttpMethod.GET, "/swagger-ui/**")).permitAll();
                    if (!admin.protectHealth()) {
                        a.requestMatchers(path.matcher(HttpMethod.GET, base + "/health"),
                                path.matcher(HttpMethod.GET, base + "/health/**")).permitAll();
                    }
                    if (!admin.protectPrometheus()) {
                        a.requestMatchers(path.matcher(HttpMethod.GET, base + "/prometheus")).permitAll();
                    }
                    a.requestMatchers(path.matcher(HttpMethod.GET, "/api/v1/cluster")).access(rules.anyGrant());
                    a.requestMatchers(path.matcher("/api/v1/admin/**")).access(rules.admin());
                    a.requestMatchers(path.matcher(base), path.matcher(base + "/**")).access(rules.admin());
                    dataPlane(a, path, "/api/v1/kv", "key", Grant.Resource.KV, rules);
                    // A watch reads the tree under its ?prefix=, like a listing.
                    a.requestMatchers(path.matcher(HttpMethod.GET, "/api/v1/watch")).access(rules.tree(Grant.Resource.KV,
                            Grant.Access.READ));
                    a.requestMatchers(path.matcher(HttpMethod.POST, "/api/v1/txn"),
                            path.matcher("/api/v1/leases"), path.matcher("/api/v1/leases/**"))
                            .access(rules.wholeTree(Grant.Resource.KV));
                    dataPlane(a, path, "/api/v1/artifacts", "path", Grant.Resource.ARTIFACTS, rules);
                    a.anyRequest().denyAll();
                });
        return http.build();
    }

    /** Listing (and, for artifacts, prefix delete) on the collection; read and write on each item. */
    private static void dataPlane(
            org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer<HttpSecurity>
                    .AuthorizationManagerRequestMatcherRegistry a,
            PathPatternRequestMatcher.Builder path, String collection, String variable, Grant.Resource resource,
            AccessRules rules) {
        // The collection first: "{*name}" also matches the collection itself with an empty name.
        a.requestMatchers(path.matcher(HttpMethod.GET, collection), path.matcher(HttpMethod.HEAD, collection))
                .access(rules.tree(resource, Grant.Access.READ));
        if (resource == Grant.Resource.ARTIFACTS) {
            a.requestMatchers(path.matcher(HttpMethod.DELETE, collection)).access(rules.tree(resource, Grant.Access.WRITE));
        }
        String item = collection + "/{*" + variable + "}";
        a.requestMatchers(path.matcher(HttpMethod.GET, item), path.matcher(HttpMethod.HEAD, item))
                .access(rules.item(resource, Grant.Access.READ, variable));
        a.requestMatchers(path.matcher(HttpMethod.PUT, item), path.matcher(HttpMethod.DELETE, item))
                .access(rules.item(resource, Grant.Access.WRITE, variable));
    }
}
