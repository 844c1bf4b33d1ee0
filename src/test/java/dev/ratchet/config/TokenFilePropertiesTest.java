package dev.ratchet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code ratchet.join-token-file} / {@code ratchet.admin-token-file}, bound by Spring Boot's binder. */
class TokenFilePropertiesTest {

    @TempDir
    Path dir;

    @Test
    void tokensAreReadFromTheirFilesWithoutTheTrailingLineBreak() throws IOException {
        Path join = Files.writeString(dir.resolve("join-token"), "join-token-from-a-file-0123\n");
        Path admin = Files.writeString(dir.resolve("admin-token"), "admin-token-from-a-file-0123");
        RatchetProperties p = bind(Map.of("ratchet.join-token-file", join.toString(),
                "ratchet.admin-token-file", admin.toString()));
        assertThat(p.joinToken()).isEqualTo("join-token-from-a-file-0123");
        assertThat(p.adminToken()).isEqualTo("admin-token-from-a-file-0123");
    }

    @Test
    void aMissingFileStopsStartUpNamingThePropertyAndPath() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> bind(Map.of("ratchet.join-token-file", missing.toString())))
                .hasRootCauseInstanceOf(Validation.InvalidPropertyException.class)
                .rootCause().hasMessageContaining("ratchet.join-token-file").hasMessageContaining(missing.toString());
    }

    @Test
    void anUnreadableFileStopsStartUp() throws IOException {
        Path file = Files.writeString(dir.resolve("locked"), "locked-token-0123456789");
        assertThat(file.toFile().setReadable(false)).isTrue();
        // Root reads any file: the refusal can only be observed as another user.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root");
        assertThatThrownBy(() -> bind(Map.of("ratchet.join-token-file", file.toString())))
                .rootCause().hasMessageContaining("ratchet.join-token-file must be a readable file");
    }

    @Test
    void anEmptyFileOrBothFormsAreRefused() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> bind(Map.of("ratchet.admin-token-file", empty.toString())))
                .rootCause().hasMessageContaining("ratchet.admin-token-file").hasMessageContaining("(empty)");
        Path join = Files.writeString(dir.resolve("join"), "join-token-from-a-file-0123");
        assertThatThrownBy(() -> bind(Map.of("ratchet.join-token-file", join.toString(),
                "ratchet.join-token", "join-token-inline-0123456")))
                .rootCause().hasMessageContaining("ratchet.join-token must be unset when ratchet.join-token-file is set")
                .hasMessageNotContaining("join-token-inline-0123456");
    }

    @Test
    void aShortTokenInAFileGetsTheTokenRule() throws IOException {
        Path join = Files.writeString(dir.resolve("join"), "short");
        assertThatThrownBy(() -> bind(Map.of("ratchet.join-token-file", join.toString())))
                .rootCause().hasMessageContaining("ratchet.join-token must be a secret of at least 16 characters")
                .hasMessageNotContaining("short)");
    }

    private static RatchetProperties bind(Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("ratchet.node-id", "node-1", "ratchet.data-dir", "/tmp/x"));
        props.putAll(extra);
        if (!extra.containsKey("ratchet.join-token-file") && !extra.containsKey("ratchet.join-token")) {
            props.put("ratchet.join-token", "inline-join-token-0123");
        }
        return new Binder(new MapConfigurationPropertySource(props)).bind("ratchet", Bindable.of(RatchetProperties.class))
                .get();
    }
}
