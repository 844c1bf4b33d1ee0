package dev.ratchet.app;

import dev.ratchet.node.ClusterNode;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Log context on request threads (node id, term, role); JSON logs are switched by {@code ratchet.log.format}. */
@Configuration(proxyBeanMethods = false)
class LoggingConfiguration {

    /** First of all filters, so every line of a request, the audit line included, carries the context. */
    @Bean
    FilterRegistrationBean<RequestLogContextFilter> requestLogContext(ClusterNode node) {
        FilterRegistrationBean<RequestLogContextFilter> registration = new FilterRegistrationBean<>(
                new RequestLogContextFilter(() -> node.driver().status()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
