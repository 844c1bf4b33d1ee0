package dev.ratchet.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's npm tools ({@code tools/node}) as child processes. A missing Node.js or missing
 * {@code node_modules} fails the calling test with the command that fixes it: these checks never skip.
 * Thread-safe: each call starts its own process and blocks until it ends or its time limit (scaled up
 * under CI) passes, when the process and its children are killed. Output is kept up to 200,000 chars.
 */
final class NodeTools {

    /** The repository root (Maven runs tests there). */
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path TOOLS = ROOT.resolve("tools/node");
    private static final int MAX_OUTPUT_CHARS = 200_000;

    private NodeTools() {
    }

    /** What a finished process said. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code node tools/node/<script> args...} from the repository root. */
    static Result script(String script, Duration limit, String... args) {
        List<String> command = new ArrayList<>(List.of("node", TOOLS.resolve(script).toString()));
        command.addAll(List.of(args));
        requireInstalled();
        return run(command, Map.of(), limit);
    }

    /** Runs an executable from {@code tools/node/node_modules/.bin} from the repository root. */
    static Result bin(String name, Map<String, String> env, Duration limit, String... args) {
        List<String> command = new ArrayList<>(List.of(TOOLS.resolve("node_modules/.bin").resolve(name).toString()));
        command.addAll(List.of(args));
        requireInstalled();
        return run(command, env, limit);
    }

    static void requireInstalled() {
        if (!Files.isDirectory(TOOLS.resolve("node_modules"))) {
            fail("the npm tools are not installed: run tools/test_prereqs.sh (or `npm ci --prefix tools/node`)");
        }
    }

    /** Runs any command from the repository root (for scripts that use the npm tools). */
    static Result run(List<String> command, Map<String, String> env, Duration limit) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log;
        try {
            log = Files.createTempFile("ratchet-node-tool", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary file", e);
        }
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            Duration scaled = Timeouts.scaled(limit);
            if (!p.waitFor(scaled.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(command + " did not finish within " + scaled + ":\n" + read(log));
            }
            return new Result(p.exitValue(), read(log));
        } catch (IOException e) {
            return fail("cannot run " + command + " (is Node.js installed? tools/test_prereqs.sh): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    private static String read(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > MAX_OUTPUT_CHARS ? s.substring(0, MAX_OUTPUT_CHARS) + "\n[... cut]" : s;
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
