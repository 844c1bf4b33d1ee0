package dev.ratchet.app;

import dev.ratchet.node.NodeSettings;
import dev.ratchet.node.RatchetNode;
import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Schedules the root rotation check every RootCertExpire/(2*MaxTrustRoots+1), as the design seed does
 * (at least every 200 ms, for accelerated test settings). The interval is computed from the validated
 * trust settings, hence a registrar rather than a fixed {@code @Scheduled} expression. Only the leader
 * acts; see {@link RatchetNode#checkRootRotation()}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RootRotationSchedule implements SchedulingConfigurer {

    private final RatchetNode node;
    private final NodeSettings settings;

    RootRotationSchedule(RatchetNode node, NodeSettings settings) {
        this.node = node;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        Duration interval = settings.trust().rotationCheckInterval();
        if (interval.compareTo(Duration.ofMillis(200)) < 0) {
            interval = Duration.ofMillis(200);
        }
        registrar.addFixedRateTask(node::checkRootRotation, interval);
    }
}
