package dev.ratchet.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator access ({@code ratchet.admin.*}); the token itself is {@code ratchet.admin-token}.
 *
 * @param protectHealth require admin credentials for {@code /actuator/health} too (default: open for probes)
 * @param protectPrometheus require admin credentials for {@code /actuator/prometheus} too (default: open)
 * @param restoreFrom a backup file (from {@code GET /api/v1/admin/backup}) a fresh bootstrap starts from
 */
@ConfigurationProperties("ratchet.admin")
public record AdminProperties(
        @DefaultValue("false") boolean protectHealth,
        @DefaultValue("false") boolean protectPrometheus,
        Path restoreFrom) {

    public AdminProperties {
        Validation.require(restoreFrom == null || Files.isReadable(restoreFrom), "ratchet.admin.restore-from",
                "a readable backup file", restoreFrom);
    }
}
