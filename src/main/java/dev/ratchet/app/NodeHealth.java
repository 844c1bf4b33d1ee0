package dev.ratchet.app;

import dev.ratchet.node.MembershipWait;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health for Kubernetes probes. {@code raft} (in the readiness group): UP once this node is a member of a
 * cluster with a known leader, is not waiting for an old incarnation of its id to leave, and has applied
 * everything it knows is committed; otherwise OUT_OF_SERVICE with a {@code reason}. {@code raftDriver}
 * (in the liveness group): UP while the driver thread runs; it stops only after a storage failure, which
 * a restart may cure (or at least makes loud). The gauge {@code ratchet_membership_waiting{reason}} is 1
 * for the reason this node is waiting for a membership change (joining, replacing its old incarnation)
 * and 0 otherwise.
 */
@Configuration(proxyBeanMethods = false)
class NodeHealth {

    @Bean
    HealthIndicator raft(RatchetNode node) {
        return () -> {
            if (!node.isLive()) {
                return Health.down().withDetail("reason", node.notReadyReason().orElse("not running")).build();
            }
            Status s = node.driver().status();
            Optional<String> notReady = node.notReadyReason();
            Health.Builder b = notReady.isEmpty() ? Health.up() : Health.outOfService();
            notReady.ifPresent(reason -> b.withDetail("reason", reason));
            return b.withDetail("role", s.role().name()).withDetail("term", s.term())
                    .withDetail("leader", s.leader() == null ? "none" : dev.ratchet.join.RaftIds.nodeId(s.leader()))
                    .withDetail("raftId", s.id())
                    .withDetail("commitIndex", s.commit()).withDetail("appliedIndex", node.driver().appliedIndex())
                    .withDetail("member", s.conf().contains(s.id()))
                    .withDetail("caughtUp", node.driver().appliedIndex() >= s.commit())
                    .build();
        };
    }

    @Bean
    HealthIndicator raftDriver(RatchetNode node) {
        return () -> node.isLive() ? Health.up().build()
                : Health.down().withDetail("reason", String.valueOf(node.driver() == null ? "not started"
                        : node.driver().failure())).build();
    }

    @Bean
    MeterBinder membershipWaiting(RatchetNode node) {
        return registry -> {
            for (MembershipWait wait : MembershipWait.values()) {
                if (wait == MembershipWait.NONE) {
                    continue;
                }
                Gauge.builder("ratchet.membership.waiting", node, n -> n.membershipWait() == wait ? 1 : 0)
                        .tag("reason", wait.label())
                        .description("1 while this node waits for a membership change for this reason")
                        .register(registry);
            }
        };
    }
}
