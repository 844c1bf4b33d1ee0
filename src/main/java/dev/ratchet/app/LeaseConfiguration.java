package dev.ratchet.app;

import dev.ratchet.lease.LeaseKeeper;
import dev.ratchet.node.ClusterNode;
import dev.ratchet.raft.Role;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The leader-side lease expiry of issue 15: ticks on the monotonic clock, proposes expiries through the log. */
@Configuration(proxyBeanMethods = false)
class LeaseConfiguration {

    /** How often the keeper looks for due leases: the granularity of expiry. */
    private static final Duration TICK = Duration.ofMillis(100);
    /** A due lease whose expiry did not commit (leader changing, say) is proposed again after this. */
    private static final Duration RETRY = Duration.ofSeconds(2);

    @Bean(destroyMethod = "close")
    LeaseKeeper leaseKeeper(ClusterNode node) {
        LeaseKeeper keeper = new LeaseKeeper(node, () -> node.driver().status().role() == Role.LEADER, System::nanoTime, RETRY);
        keeper.start(TICK);
        return keeper;
    }
}
