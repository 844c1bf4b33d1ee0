package dev.ratchet.app;

import dev.ratchet.bootstrap.FreshStart;
import dev.ratchet.config.AdminProperties;
import dev.ratchet.config.ApiProperties;
import dev.ratchet.config.PeerHandshakeProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.node.AutopilotSettings;
import dev.ratchet.node.ClusterNode;
import dev.ratchet.node.NodeSettings;
import dev.ratchet.node.PeerHandshakeLimits;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.metrics.MicrometerHandshakeListener;
import dev.ratchet.storage.StorageOptions;
import dev.ratchet.trust.InMemoryHandshakeCounters;
import dev.ratchet.trust.TrustSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds and starts the node from configuration; stops it (after handing over leadership) on shutdown. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RatchetProperties.class, ApiProperties.class, AdminProperties.class,
        PeerHandshakeProperties.class})
class NodeConfiguration {

    @Bean
    InMemoryHandshakeCounters handshakeCounters() {
        return new InMemoryHandshakeCounters();
    }

    @Bean
    NodeSettings nodeSettings(RatchetProperties p, ApiProperties api, PeerHandshakeProperties h, @Value("${server.port:8080}") int serverPort) {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String entry : p.peers()) {
            RatchetProperties.PeerAddress a = RatchetProperties.PeerAddress.parse(entry);
            peers.put(a.id(), a.hostPort());
        }
        RatchetProperties.Trust t = p.trust();
        TrustSettings trust = new TrustSettings(t.rootCertExpire(), t.maxTrustRoots(), t.certGrace(), t.keyType());
        String apiUrl = p.apiUrl() == null || p.apiUrl().isBlank()
                ? "http://" + p.peer().host() + ":" + serverPort : p.apiUrl();
        return new NodeSettings(p.nodeId(), p.dataDir(), p.bootstrap(), p.joinToken(), peers, p.joinAddresses(),
                p.peer().host(), p.peer().port(), p.peer().bindHost(), p.peer().sourceHost(), apiUrl, p.raft().heartbeatInterval(),
                p.raft().electionTicks(), p.raft().snapshotEntries(), trust, api.requestTimeout(),
                p.membership().replaceAfter() == null ? p.raft().electionTimeout().multipliedBy(10)
                        : p.membership().replaceAfter(),
                new PeerHandshakeLimits(h.deadline(), h.maxPending(), h.maxPendingPerAddress()),
                StorageOptions.DEFAULTS.withSegmentBytes(p.raft().walSegmentSize().toBytes())
                        .withCatchUp(p.raft().snapshotCatchUpEntries(), p.raft().snapshotCatchUpBytes().toBytes()),
                p.join().maxVoters());
    }

    @Bean(destroyMethod = "close")
    RatchetNode ratchetNode(NodeSettings settings, InMemoryHandshakeCounters handshakes,
            MicrometerHandshakeListener handshakeMeters, AdminProperties admin, FreshStart freshStart,
            RatchetProperties p) throws Exception {
        RatchetNode node = new RatchetNode(settings, Clock.systemUTC(), new SecureRandom(), (side, root, result) -> {
            handshakes.onHandshake(side, root, result);
            handshakeMeters.onHandshake(side, root, result);
        });
        node.discoverBeforeBootstrap(freshStart);
        node.useAutopilot(new AutopilotSettings(p.autopilot().deadAfter(), p.autopilot().minVoters()));
        if (admin.restoreFrom() != null) {
            node.restoreFrom(java.nio.file.Files.readAllBytes(admin.restoreFrom()));
        }
        try {
            node.start();
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return node;
    }

    @Bean
    ClusterNode replicator(RatchetNode node) {
        return node.replicator();
    }

    @Bean
    NodeShutdown nodeShutdown(RatchetNode node, NodeSettings settings) {
        return new NodeShutdown(node, settings);
    }
}
