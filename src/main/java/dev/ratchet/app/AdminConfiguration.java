package dev.ratchet.app;

import dev.ratchet.admin.AdminAuthFilter;
import dev.ratchet.admin.AdminToken;
import dev.ratchet.admin.ConsensusEndpoint;
import dev.ratchet.admin.ProtectedPaths;
import dev.ratchet.admin.RootsEndpoint;
import dev.ratchet.config.AdminProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.node.NodeAdmin;
import dev.ratchet.node.RatchetNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Operator access: the admin actuator endpoints, the admin actions, and the filter that guards them. */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

    @Bean
    ConsensusEndpoint consensusEndpoint(RatchetNode node) {
        return new ConsensusEndpoint(node);
    }

    @Bean
    RootsEndpoint rootsEndpoint(RatchetNode node) {
        return new RootsEndpoint(node, Clock.systemUTC());
    }

    @Bean
    NodeAdmin nodeAdmin(RatchetNode node) {
        return new NodeAdmin(node, Clock.systemUTC(), new SecureRandom());
    }

    @Bean
    AdminToken adminToken(RatchetProperties properties) {
        return new AdminToken(properties.adminToken());
    }

    @Bean
    FilterRegistrationBean<AdminAuthFilter> adminAuthFilter(AdminToken token, AdminProperties admin,
            MeterRegistry registry, @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBase) {
        ProtectedPaths paths = new ProtectedPaths(actuatorBase, admin.protectHealth(), admin.protectPrometheus());
        FilterRegistrationBean<AdminAuthFilter> bean =
                new FilterRegistrationBean<>(new AdminAuthFilter(token, paths, registry));
        bean.addUrlPatterns("/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
