package dev.ratchet.app;

import dev.ratchet.node.ClusterNode;
import dev.ratchet.watch.WatchHub;
import dev.ratchet.watch.WatchMetrics;
import dev.ratchet.watch.WatchSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's watch hub (SSE watches and blocking reads, issue 15) and its meters. */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    /** Threads that write to watch streams: a client whose socket is full holds one until its send timeout. */
    private static final int SENDER_THREADS = 8;

    @Bean(destroyMethod = "close")
    WatchHub watchHub(ClusterNode replicator) {
        return new WatchHub(replicator.state().history(), WatchSettings.DEFAULTS, SENDER_THREADS, System::nanoTime);
    }

    @Bean
    WatchMetrics watchMetrics(WatchHub hub) {
        return new WatchMetrics(hub);
    }
}
