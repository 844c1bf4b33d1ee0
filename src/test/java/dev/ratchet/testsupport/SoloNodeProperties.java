package dev.ratchet.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Properties of a single-node cluster started in the test's JVM by {@code @SpringBootTest} (the
 * application itself, on loopback, fast Raft timers, no anonymous access, the given admin token).
 * A plain class: no component scan picks it up.
 */
public final class SoloNodeProperties {

    /** The node's join token. */
    public static final String JOIN_TOKEN = "solo-test-join-token-0123456789";

    private SoloNodeProperties() {
    }

    /** Registers the node's properties; creates its data directory and picks a free peer port. */
    public static void register(DynamicPropertyRegistry registry, String adminToken) throws IOException {
        Path data = Files.createTempDirectory("ratchet-solo-test");
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        registry.add("ratchet.node-id", () -> "solo");
        registry.add("ratchet.data-dir", () -> data.toString());
        registry.add("ratchet.bootstrap", () -> "true");
        registry.add("ratchet.join-token", () -> JOIN_TOKEN);
        registry.add("ratchet.admin-token", () -> adminToken);
        registry.add("ratchet.peer.host", () -> "127.0.0.1");
        registry.add("ratchet.peer.port", () -> Integer.toString(peerPort));
        registry.add("ratchet.raft.heartbeat-interval", () -> "20ms");
        registry.add("ratchet.raft.election-timeout", () -> "200ms");
        registry.add("ratchet.api.anonymous", () -> "none");
    }
}
