package dev.ratchet.app;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.metrics.BuildInfoMetrics;
import dev.ratchet.metrics.MicrometerHandshakeListener;
import dev.ratchet.metrics.PeerRoundTripMetrics;
import dev.ratchet.metrics.StoreMetrics;
import dev.ratchet.metrics.RaftMetrics;
import dev.ratchet.metrics.TransportMetrics;
import dev.ratchet.metrics.TrustMetrics;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Member;
import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRootsCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds the node's meters (see docs/metrics.md) to the application's registry, which the Prometheus
 * actuator endpoint serves. Listeners registered here keep per-peer meters and the rotation count current.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    MicrometerHandshakeListener handshakeMeters(MeterRegistry registry) {
        return new MicrometerHandshakeListener(registry);
    }

    @Bean
    RaftMetrics raftMetrics(RatchetNode node, RatchetProperties properties) {
        return new RaftMetrics(node.driver()::status, node.driver()::appliedIndex, node.driver().stats(),
                properties.raft().heartbeatInterval());
    }

    @Bean
    PeerRoundTripMetrics peerRoundTripMetrics(RatchetNode node) {
        return new PeerRoundTripMetrics(node.roundTrips()::setListener);
    }

    @Bean
    TransportMetrics transportMetrics(RatchetNode node) {
        TransportMetrics metrics = new TransportMetrics(node.transport()::stats, () -> otherMembers(node),
                System::nanoTime);
        node.state().addClusterListener(new ClusterState.ClusterListener() {
            @Override
            public void rootsChanged(byte[] serializedRoots) {
            }

            @Override
            public void membersChanged(Map<String, Member> members) {
                metrics.watchPeers(otherMembers(node));
            }
        });
        return metrics;
    }

    private static java.util.List<String> otherMembers(RatchetNode node) {
        return node.state().members().keySet().stream().filter(id -> !id.equals(node.settings().nodeId())).toList();
    }

    @Bean
    StoreMetrics storeMetrics(RatchetNode node, ApiProperties api) {
        return new StoreMetrics(node.state()::documentStats, ApiProperties.DOCUMENT_OVERHEAD_BYTES, api::storeQuotaBytes);
    }

    @Bean
    BuildInfoMetrics buildInfoMetrics() {
        return new BuildInfoMetrics(BuildInfoMetrics.jarVersion());
    }

    @Bean
    TrustMetrics trustMetrics(RatchetNode node) {
        TrustMetrics metrics = new TrustMetrics(() -> node.tls().roots(), Clock.systemUTC());
        node.state().addClusterListener(new ClusterState.ClusterListener() {
            @Override
            public void rootsChanged(byte[] serializedRoots) {
                if (serializedRoots.length == 0) {
                    return;
                }
                try {
                    metrics.rootsAdopted(TrustRootsCodec.decode(serializedRoots));
                } catch (TrustFormatException e) {
                    // The node logs undecodable roots when it refuses them; nothing to count.
                }
            }

            @Override
            public void membersChanged(Map<String, Member> members) {
            }
        });
        return metrics;
    }
}
