package dev.ratchet.bootstrap;

import dev.ratchet.config.Validation;
import dev.ratchet.node.RatchetNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the bootstrap question: {@code ratchet.bootstrap-expect} (0, the default, means every seed in
 * {@code ratchet.join-addresses} must answer fresh before the founder founds) and the answer of a running
 * node. With {@code server.ssl} on, the fresh node's listener serves HTTPS with the API's own key
 * material ({@link ApiServerTls}).
 */
@Configuration(proxyBeanMethods = false)
class BootstrapConfiguration {

    @Bean
    FreshStart freshStart(@Value("${ratchet.bootstrap-expect:0}") int expect,
            @Value("${server.address:#{null}}") String address, @Value("${server.port:8080}") int port,
            Environment environment, ObjectProvider<SslBundles> sslBundles) throws UnknownHostException {
        Validation.require(expect >= 0 && expect <= 99, "ratchet.bootstrap-expect",
                "the number of fresh nodes (this one included) to wait for before founding, 0 for every seed", expect);
        InetSocketAddress bind = address == null || address.isBlank() ? new InetSocketAddress(port)
                : new InetSocketAddress(InetAddress.getByName(address), port);
        return new FreshStart(bind, expect, Duration.ofSeconds(3),
                ApiServerTls.fromServerSsl(Binder.get(environment), sslBundles.getIfAvailable()).orElse(null));
    }

    @Bean
    BootstrapStatusController.BootstrapAnswers bootstrapAnswers(RatchetNode node) {
        return new BootstrapStatusController.BootstrapAnswers(new BootstrapProbe(node.settings().joinToken()),
                node.settings().nodeId(), () -> node.identity() == null ? "" : node.identity().clusterId());
    }
}
