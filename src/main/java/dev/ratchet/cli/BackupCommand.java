package dev.ratchet.cli;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ratchetctl backup --out FILE}: downloads {@code GET /api/v1/admin/backup} (admin) to FILE,
 * through a temporary file moved into place, so FILE is never a partial backup.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Download a backup of the committed state (admin).")
final class BackupCommand extends ApiCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        HttpResponse<InputStream> r = conn.client().stream(new ApiClient.Call("GET", "/api/v1/admin/backup", Map.of(), null, true));
        Path target = out.toAbsolutePath();
        Path partial = Files.createTempFile(target.getParent(), ".ratchetctl-backup-", ".part");
        try (InputStream in = r.body()) {
            long size = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String index = r.headers().firstValue("X-Ratchet-Applied-Index").orElse("?");
            out().println(conn.json()
                    ? "{\"file\":" + ApiClient.JSON.writeValueAsString(target.toString()) + ",\"bytes\":" + size + ",\"appliedIndex\":" + index + "}"
                    : "wrote " + target + " (" + size + " bytes, applied index " + index + ")");
        } finally {
            Files.deleteIfExists(partial);
        }
        return RatchetCtl.OK;
    }
}
