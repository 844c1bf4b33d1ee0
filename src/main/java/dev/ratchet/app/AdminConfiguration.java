package dev.ratchet.app;

import dev.ratchet.admin.AdminToken;
import dev.ratchet.admin.ConsensusEndpoint;
import dev.ratchet.admin.RootsEndpoint;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.join.JoinTokenService;
import dev.ratchet.node.Replicator;
import dev.ratchet.node.NodeAdmin;
import dev.ratchet.node.RatchetNode;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Operator access: the admin actuator endpoints and the admin actions (guarded by {@link SecurityConfiguration}). */
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
    JoinTokenService joinTokenService(Replicator replicator) {
        return new JoinTokenService(replicator, Clock.systemUTC(), new SecureRandom());
    }

    @Bean
    AdminToken adminToken(RatchetProperties properties) {
        return new AdminToken(properties.adminToken());
    }
}
