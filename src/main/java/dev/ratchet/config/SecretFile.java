package dev.ratchet.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given as a file ({@code ratchet.join-token-file}, {@code ratchet.admin-token-file}): a mounted
 * Kubernetes Secret or a Docker secret, so the value never sits in the process environment where
 * {@code /proc/<pid>/environ}, crash reports and {@code kubectl describe} show it. Read once, at start-up,
 * on the binding thread; blocks on file I/O only.
 */
final class SecretFile {

    /** Longer than any token the node accepts: a bigger file is the wrong file, not a token. */
    private static final long MAX_BYTES = 4096;

    private SecretFile() {
    }

    /**
     * The value for {@code property}: the file's content when {@code file} is set (one trailing line break
     * removed, as {@code echo} and {@code kubectl create secret --from-file} leave one), else {@code value}.
     *
     * @throws Validation.InvalidPropertyException if both are set, or the file cannot be read, is too
     *         large or holds an empty value; the message names the property and the path, never the content
     */
    static String resolve(String property, String value, Path file) {
        if (file == null) {
            return value;
        }
        String fileProperty = property + "-file";
        Validation.require(value == null || value.isEmpty(), property,
                "unset when " + fileProperty + " is set (give the secret one way)", "<set>");
        String content;
        try {
            Validation.require(Files.isRegularFile(file), fileProperty, "a readable file", file + " (no such file)");
            Validation.require(Files.size(file) <= MAX_BYTES, fileProperty, "a file of at most " + MAX_BYTES
                    + " bytes holding the secret", file + " (" + Files.size(file) + " bytes)");
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Validation.InvalidPropertyException(fileProperty, "a readable file",
                    file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (content.endsWith("\n")) {
            content = content.substring(0, content.length() - 1);
        }
        if (content.endsWith("\r")) {
            content = content.substring(0, content.length() - 1);
        }
        Validation.require(!content.isEmpty(), fileProperty, "a file holding the secret", file + " (empty)");
        return content;
    }
}
