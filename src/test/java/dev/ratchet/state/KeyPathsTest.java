package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c", "docs/readme.md", "ünïcødé/κλειδί", "x..y", ".hidden/file", "a-b_c.d"})
    void acceptsOrdinaryPaths(String path) {
        assertThat(KeyPaths.requireValid(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", "..", ".", "a\\b", "a\u0000b",
        "tab\there", "\ud800"})
    void refusesTraversalControlAndMalformedPaths(String path) {
        assertThatThrownBy(() -> KeyPaths.requireValid(path)).isInstanceOf(KeyPaths.InvalidPathException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1025})
    void limitsTheLengthInUtf8Bytes(int bytes) {
        String path = "é".repeat(bytes / 2) + (bytes % 2 == 1 ? "x" : "");
        if (bytes <= KeyPaths.MAX_PATH_BYTES) {
            assertThat(KeyPaths.requireValid(path)).isEqualTo(path);
        } else {
            assertThatThrownBy(() -> KeyPaths.requireValid(path)).hasMessageContaining("1024 bytes");
        }
    }
}
