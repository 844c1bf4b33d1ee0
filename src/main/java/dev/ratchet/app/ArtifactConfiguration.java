package dev.ratchet.app;

import dev.ratchet.artifacts.ArtifactService;
import dev.ratchet.artifacts.ArtifactSettings;
import dev.ratchet.artifacts.ArtifactStats;
import dev.ratchet.artifacts.StorageLimits;
import dev.ratchet.config.ArtifactProperties;
import dev.ratchet.node.RatchetNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the artifact store onto the running node (blobs under {@code ratchet.artifacts.dir}, by default
 * {@code ${ratchet.data-dir}/blobs}, within {@code ratchet.artifacts.quota} and
 * {@code ratchet.artifacts.min-free-space}), its
 * metrics ({@code ratchet.artifacts.*}), an {@code artifacts} health detail with the reconciliation
 * progress, and a {@code deadlocks} health indicator that reports DOWN with the thread names if the JVM
 * finds deadlocked threads (the stress test reads it inside every node).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ArtifactProperties.class)
class ArtifactConfiguration {

    @Bean
    ArtifactService artifactService(RatchetNode node, ArtifactProperties p) throws IOException {
        ArtifactSettings d = ArtifactSettings.defaults();
        ArtifactSettings settings = new ArtifactSettings(p.maxSize().toBytes(), p.fetchThreads(), d.fetchQueue(),
                d.fetchAttemptTimeout(), d.serveConcurrency(), d.chunkBytes(), p.reconcileInterval(), p.gcGrace(),
                p.readWait());
        java.nio.file.Path blobs = p.dir() != null ? p.dir() : node.settings().dataDir().resolve("blobs");
        ArtifactService service = new ArtifactService(node.settings().nodeId(), blobs, node.replicator(),
                node.transport(), settings, new StorageLimits(p.quota().toBytes(), p.minFreeSpace().toBytes()),
                node::isReady);
        service.start();
        return service;
    }

    @Bean
    MeterBinder artifactMetrics(ArtifactService service) {
        return registry -> {
            gauge(registry, "ratchet.artifacts", "artifacts in the replicated index", service,
                    ArtifactStats::artifacts);
            gauge(registry, "ratchet.artifacts.bytes", "total size of all artifacts", service,
                    ArtifactStats::artifactBytes);
            gauge(registry, "ratchet.artifacts.local.blobs", "blobs on this node's disk", service,
                    ArtifactStats::localBlobs);
            gauge(registry, "ratchet.artifacts.local.bytes", "bytes of blobs on this node's disk", service,
                    ArtifactStats::localBytes);
            gauge(registry, "ratchet.artifacts.fetches.pending", "referenced blobs this node still lacks", service,
                    ArtifactStats::pendingFetches);
            counter(registry, "ratchet.artifacts.fetches.completed", "blobs fetched from peers and verified", service,
                    ArtifactStats::fetchesCompleted);
            counter(registry, "ratchet.artifacts.fetches.failed", "blob fetch attempts that failed", service,
                    ArtifactStats::fetchFailures);
            counter(registry, "ratchet.artifacts.fetched.bytes", "bytes fetched from peers", service,
                    ArtifactStats::bytesFetched);
            counter(registry, "ratchet.artifacts.served.bytes", "bytes of blobs served to peers", service,
                    ArtifactStats::bytesServed);
            counter(registry, "ratchet.artifacts.collected.blobs", "unreferenced blobs garbage-collected", service,
                    ArtifactStats::blobsCollected);
        };
    }

    private static void gauge(io.micrometer.core.instrument.MeterRegistry registry, String name, String help,
            ArtifactService service, java.util.function.ToLongFunction<ArtifactStats> f) {
        Gauge.builder(name, service, s -> f.applyAsLong(s.stats())).description(help).register(registry);
    }

    private static void counter(io.micrometer.core.instrument.MeterRegistry registry, String name, String help,
            ArtifactService service, java.util.function.ToLongFunction<ArtifactStats> f) {
        ToDoubleFunction<ArtifactService> read = s -> f.applyAsLong(s.stats());
        FunctionCounter.builder(name, service, read).description(help).register(registry);
    }

    @Bean
    HealthIndicator artifacts(ArtifactService service) {
        return () -> {
            ArtifactStats s = service.stats();
            return Health.up().withDetail("artifacts", s.artifacts()).withDetail("artifactBytes", s.artifactBytes())
                    .withDetail("localBlobs", s.localBlobs()).withDetail("localBytes", s.localBytes())
                    .withDetail("pendingFetches", s.pendingFetches()).withDetail("activeFetches", s.activeFetches())
                    .withDetail("fetchesCompleted", s.fetchesCompleted()).withDetail("fetchFailures", s.fetchFailures())
                    .withDetail("blobsCollected", s.blobsCollected()).withDetail("reconcileRounds", s.reconcileRounds())
                    .build();
        };
    }

    @Bean
    HealthIndicator deadlocks() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return () -> {
            long[] ids = threads.findDeadlockedThreads();
            if (ids == null || ids.length == 0) {
                return Health.up().withDetail("deadlockedThreads", 0).build();
            }
            List<String> names = Arrays.stream(threads.getThreadInfo(ids)).filter(java.util.Objects::nonNull)
                    .map(ThreadInfo::getThreadName).toList();
            return Health.down().withDetail("deadlockedThreads", ids.length).withDetail("threads", names).build();
        };
    }
}
