package dev.ratchet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's scripts, run for real with bash: the health check against a loopback HTTP server that
 * answers like the readiness group, the entrypoint's bootstrap choice and JVM flags (with a stand-in
 * {@code java} on PATH that prints what it got), and the preStop delay's input check.
 */
class DockerScriptsTest {

    private static final Path DOCKER = NodeTools.ROOT.resolve("docker");

    @Test
    void healthcheckPassesOnlyWhileReadinessAnswers200() throws IOException {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/actuator/health/readiness", ex -> {
            byte[] body = "{}".getBytes();
            ex.sendResponseHeaders(status.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("SERVER_PORT", String.valueOf(server.getAddress().getPort()));
            assertThat(bash(env, "healthcheck.sh").exitCode()).isZero();
            status.set(503);
            NodeTools.Result down = bash(env, "healthcheck.sh");
            assertThat(down.exitCode()).isEqualTo(1);
            assertThat(down.output()).contains("503");
        } finally {
            server.stop(0);
        }
        // Nothing listening: fails rather than hangs.
        assertThat(bash(Map.of("SERVER_PORT", "1"), "healthcheck.sh").exitCode()).isNotZero();
    }

    @Test
    void entrypointBootstrapsOnlyTheNamedNodeAndExecsJava(@TempDir Path bin) throws IOException {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/bash\necho \"bootstrap=${RATCHET_BOOTSTRAP:-unset} args=$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");

        NodeTools.Result first = bash(Map.of("PATH", path, "RATCHET_NODE_ID", "store-ratchet-0",
                "RATCHET_BOOTSTRAP_NODE", "store-ratchet-0", "RATCHET_JVM_FLAGS", "-XX:MaxRAMPercentage=75",
                "JAVA_OPTS", "-Xss512k"), "entrypoint.sh");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("bootstrap=true", "-XX:MaxRAMPercentage=75 -Xss512k -cp /app",
                "org.springframework.boot.loader.launch.JarLauncher");

        assertThat(bash(Map.of("PATH", path, "RATCHET_NODE_ID", "store-ratchet-10",
                "RATCHET_BOOTSTRAP_NODE", "store-ratchet-1"), "entrypoint.sh").output()).contains("bootstrap=false");
        // An operator's explicit choice wins (a pod-0 whose volume was lost must join, not bootstrap).
        assertThat(bash(Map.of("PATH", path, "RATCHET_NODE_ID", "store-ratchet-0", "RATCHET_BOOTSTRAP", "false",
                "RATCHET_BOOTSTRAP_NODE", "store-ratchet-0"), "entrypoint.sh").output()).contains("bootstrap=false");
        assertThat(bash(Map.of("PATH", path, "RATCHET_NODE_ID", "node-1"), "entrypoint.sh").output())
                .contains("bootstrap=unset");
    }

    @Test
    void entrypointRestoresFromTheChartsBackupOnlyWhereTheFileExists(@TempDir Path bin) throws IOException {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/bash\necho \"restore=${RATCHET_ADMIN_RESTORE_FROM:-unset}\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");
        Path backup = bin.resolve("ratchet-backup.bin");
        assertThat(bash(Map.of("PATH", path, "RATCHET_RESTORE_FROM_IF_PRESENT", backup.toString()), "entrypoint.sh")
                .output()).contains("restore=unset");
        Files.write(backup, new byte[] {1, 2, 3});
        assertThat(bash(Map.of("PATH", path, "RATCHET_RESTORE_FROM_IF_PRESENT", backup.toString()), "entrypoint.sh")
                .output()).contains("restore=" + backup);
        // An explicit ratchet.admin.restore-from wins.
        assertThat(bash(Map.of("PATH", path, "RATCHET_RESTORE_FROM_IF_PRESENT", backup.toString(),
                "RATCHET_ADMIN_RESTORE_FROM", "/elsewhere.bin"), "entrypoint.sh").output()).contains("restore=/elsewhere.bin");
    }

    @Test
    void preStopTakesWholeSecondsOnly() {
        assertThat(bash(Map.of(), "prestop.sh", "0").exitCode()).isZero();
        NodeTools.Result bad = bash(Map.of(), "prestop.sh", "5s");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("whole seconds");
    }

    private static NodeTools.Result bash(Map<String, String> env, String script, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", DOCKER.resolve(script).toString()));
        command.addAll(List.of(args));
        return NodeTools.run(command, env, Duration.ofSeconds(20));
    }
}
