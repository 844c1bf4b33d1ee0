package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup CronJob and the restore of pod-0: what the chart renders, and the backup script itself run
 * by {@code sh} with the real curl against a stand-in of the backup endpoint on loopback (it answers
 * like {@code GET /api/v1/admin/backup}: the image as the body, the applied index as a header).
 */
class ChartBackupTest {

    private static final Path SCRIPT = ChartRendering.CHART.resolve("files/backup.sh");

    @Test
    void theCronJobRunsTheChartsScriptWithTheMountedAdminTokenAgainstTheClientService() throws IOException {
        ChartRendering.Rendered r = render(sets("backup.enabled", true, "backup.keep", 5, "backup.schedule", "0 */6 * * *"));
        Map<String, Object> cron = r.one("CronJob");
        assertThat((String) at(cron, "spec", "schedule")).isEqualTo("0 */6 * * *");
        assertThat((String) at(cron, "spec", "concurrencyPolicy")).isEqualTo("Forbid");
        Map<String, Object> pod = at(cron, "spec", "jobTemplate", "spec", "template", "spec");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> entries = at(pod, "containers", 0, "env");
        entries.forEach(e -> env.put((String) e.get("name"), String.valueOf(e.get("value"))));
        assertThat(env).containsEntry("RATCHET_URL", "http://ratchet.store.svc.cluster.local:8080")
                .containsEntry("TOKEN_FILE", "/etc/ratchet/auth/admin-token").containsEntry("KEEP", "5")
                .containsEntry("BACKUP_DIR", "/backups");
        List<Map<String, Object>> volumes = at(pod, "volumes");
        assertThat(volumes).anySatisfy(v -> assertThat((String) at(v, "persistentVolumeClaim", "claimName"))
                .isEqualTo("ratchet-backups"));
        assertThat(volumes).anySatisfy(v -> {
            assertThat((String) at(v, "secret", "secretName")).isEqualTo("ratchet-auth");
            assertThat((List<Map<String, Object>>) at(v, "secret", "items")).extracting(i -> i.get("key"))
                    .containsExactly("admin-token");
        });
        // The script in the ConfigMap is the file tested below.
        assertThat((String) at(r.one("ConfigMap"), "data", "backup.sh")).isEqualTo(Files.readString(SCRIPT));
        assertThat((String) at(r.one("PersistentVolumeClaim"), "metadata", "annotations", "helm.sh/resource-policy"))
                .isEqualTo("keep");
        // Not a StatefulSet pod: no Service routes to it.
        Map<String, Object> selector = at(r.one("StatefulSet"), "spec", "selector", "matchLabels");
        Map<String, Object> labels = at(cron, "spec", "jobTemplate", "spec", "template", "metadata", "labels");
        assertThat(labels.entrySet().containsAll(selector.entrySet())).isFalse();

        ChartRendering.Rendered existing = render(sets("backup.enabled", true, "backup.existingClaim", "nfs-backups"));
        assertThat(existing.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(render().ofKind("CronJob")).isEmpty();
        assertThatThrownBy(() -> render(sets("backup.enabled", true, "backup.schedule", "daily")))
                .hasMessageContaining("schedule");
        assertThatThrownBy(() -> render(sets("backup.keep", 0))).hasMessageContaining("keep");
    }

    @Test
    void restoreMakesPodZeroWaitForItsBackupAndTheEntrypointPickItUp() {
        Map<String, Object> spec = at(render(sets("restore.enabled", true)).one("StatefulSet"), "spec", "template", "spec");
        Map<String, Object> init = at(spec, "initContainers", 0);
        assertThat(init).containsEntry("name", "restore-wait");
        String script = at(init, "command", 2);
        assertThat(script).contains("\"$POD_NAME\" != \"ratchet-0\"", "/data/restore/ready", "ls -A /data/node");
        assertThat(ChartRendering.env(render(sets("restore.enabled", true)).one("StatefulSet")))
                .containsEntry("RATCHET_RESTORE_FROM_IF_PRESENT", "/data/restore/ratchet-backup.bin");
        assertThat(ChartRendering.env(render().one("StatefulSet"))).doesNotContainKey("RATCHET_RESTORE_FROM_IF_PRESENT");
        assertThat((Map<String, Object>) at(render().one("StatefulSet"), "spec", "template", "spec"))
                .doesNotContainKey("initContainers");
    }

    @Test
    void theScriptWritesTimestampedBackupsAndKeepsTheNewest(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("admin-token"), "admin-token-0123456789\n");
        Path backups = Files.createDirectories(dir.resolve("backups"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        AtomicInteger index = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/api/v1/admin/backup", exchange -> {
            byte[] body;
            if (!"Bearer admin-token-0123456789".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                body = "{\"status\":401}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
            } else {
                int i = index.incrementAndGet();
                body = ("image " + i).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Ratchet-Applied-Index", Integer.toString(i));
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("RATCHET_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "TOKEN_FILE", token.toString(), "BACKUP_DIR", backups.toString(), "KEEP", "2",
                    "TMPDIR", tmp.toString(), "PATH", System.getenv("PATH"));
            for (int run = 1; run <= 3; run++) {
                NodeTools.Result result = NodeTools.run(List.of("sh", SCRIPT.toString()), env, Duration.ofSeconds(30));
                assertThat(result.exitCode()).as(result.output()).isZero();
                assertThat(result.output()).contains("applied index " + run);
            }
            List<String> kept = names(backups);
            assertThat(kept).hasSize(2).allMatch(n -> n.matches("ratchet-backup-\\d{8}T\\d{6}Z-[23]\\.bin"));
            assertThat(Files.readString(backups.resolve(kept.get(1)))).isEqualTo("image 3");
            assertThat(names(tmp)).as("the header file with the token is removed").isEmpty();

            // A refused backup fails the Job and removes nothing.
            Files.writeString(token, "wrong-token-0123456789");
            NodeTools.Result refused = NodeTools.run(List.of("sh", SCRIPT.toString()), env, Duration.ofSeconds(30));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("401");
            assertThat(names(backups)).isEqualTo(kept);
        } finally {
            server.stop(0);
        }
        NodeTools.Result unreadable = NodeTools.run(List.of("sh", SCRIPT.toString()), Map.of("RATCHET_URL", "http://127.0.0.1:1",
                "TOKEN_FILE", dir.resolve("missing").toString(), "BACKUP_DIR", backups.toString(), "PATH",
                System.getenv("PATH")), Duration.ofSeconds(10));
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.output()).contains("cannot read the admin token file");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
