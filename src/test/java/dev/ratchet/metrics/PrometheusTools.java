package dev.ratchet.metrics;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds Debian's {@code prometheus} and {@code promtool} and runs promtool. Missing binaries FAIL the
 * test with the command that installs them (tools/test_prereqs.sh), never skip it.
 */
public final class PrometheusTools {

    private PrometheusTools() {
    }

    /** The path of {@code name} on PATH; fails the test when it is missing. */
    public static Path require(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail(name + " is not installed (or not on PATH): run `bash tools/test_prereqs.sh`, which runs"
                + " `apt-get install -y prometheus` (Debian's package provides prometheus and promtool)");
    }

    /** Output and exit code of one process run. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code promtool args...} in {@code dir} with {@code stdin}; bounded to 60 seconds. */
    public static Result promtool(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(require("promtool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return fail("promtool " + args[0] + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out);
    }
}
