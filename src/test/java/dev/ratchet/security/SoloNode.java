package dev.ratchet.security;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Properties of a single-node cluster in the test's JVM, on loopback, with fast Raft timers and no anonymous access. */
final class SoloNode {

    static final String ADMIN_TOKEN = "security-test-admin-token-0123456789";

    private SoloNode() {
    }

    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("ratchet-security-test");
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        registry.add("ratchet.node-id", () -> "solo");
        registry.add("ratchet.data-dir", () -> data.toString());
        registry.add("ratchet.bootstrap", () -> "true");
        registry.add("ratchet.join-token", () -> "security-test-join-token-0123456789");
        registry.add("ratchet.admin-token", () -> ADMIN_TOKEN);
        registry.add("ratchet.peer.host", () -> "127.0.0.1");
        registry.add("ratchet.peer.port", () -> Integer.toString(peerPort));
        registry.add("ratchet.raft.heartbeat-interval", () -> "20ms");
        registry.add("ratchet.raft.election-timeout", () -> "200ms");
        // Strict, as the Helm chart ships: every data-plane request needs a credential.
        registry.add("ratchet.api.anonymous", () -> "none");
    }
}
