package dev.ratchet.app;

import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.Status;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health for Kubernetes probes. {@code raft} (in the readiness group): UP once this node is a member of a
 * cluster with a known leader and has applied everything it knows is committed. {@code raftDriver} (in
 * the liveness group): UP while the driver thread runs; it stops only after a storage failure, which a
 * restart may cure (or at least makes loud).
 */
@Configuration(proxyBeanMethods = false)
class NodeHealth {

    @Bean
    HealthIndicator raft(RatchetNode node) {
        return () -> {
            if (!node.isLive()) {
                return Health.down().withDetail("reason", "the Raft driver stopped: " + node.driver().failure()).build();
            }
            Status s = node.driver().status();
            Health.Builder b = node.isReady() ? Health.up() : Health.outOfService();
            return b.withDetail("role", s.role().name()).withDetail("term", s.term())
                    .withDetail("leader", s.leader() == null ? "none" : s.leader())
                    .withDetail("commitIndex", s.commit()).withDetail("appliedIndex", node.driver().appliedIndex())
                    .withDetail("member", s.conf().contains(s.id()))
                    .withDetail("caughtUp", node.driver().appliedIndex() >= s.commit())
                    .build();
        };
    }

    @Bean
    HealthIndicator raftDriver(RatchetNode node) {
        return () -> node.isLive() ? Health.up().build()
                : Health.down().withDetail("reason", String.valueOf(node.driver().failure())).build();
    }
}
