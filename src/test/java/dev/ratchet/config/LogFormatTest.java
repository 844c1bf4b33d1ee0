package dev.ratchet.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ratchet.log.format}: {@code json} gives ECS JSON lines carrying the MDC (node, term, role), the
 * default gives the dated plain pattern, and anything else stops start-up naming the property. Each case
 * runs {@link LogFormatProbe} in a JVM of its own, since logging is initialised once per JVM.
 */
class LogFormatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void jsonFormatWritesEcsLinesWithTheNodesContext() throws Exception {
        Run run = probe("--ratchet.log.format=json");
        assertThat(run.exit).as(run.output).isZero();
        String line = run.output.lines().filter(l -> l.contains("probe line")).findFirst().orElseThrow(
                () -> new AssertionError("no probe line in:\n" + run.output));
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("message").asString()).isEqualTo("probe line with a \"quote\"");
        assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(json.path("log").path("logger").asString()).isEqualTo("dev.ratchet.probe");
        assertThat(json.path("@timestamp").asString()).isNotEmpty();
        assertThat(json.path("node").asString()).isEqualTo("probe-1");
        assertThat(json.path("term").asString()).isEqualTo("7");
        assertThat(json.path("role").asString()).isEqualTo("leader");
    }

    @Test
    void thePlainFormatHasTheDateAndTheContext() throws Exception {
        Run run = probe();
        assertThat(run.exit).as(run.output).isZero();
        String line = run.output.lines().filter(l -> l.contains("probe line")).findFirst().orElseThrow(
                () -> new AssertionError("no probe line in:\n" + run.output));
        assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})  INFO \\[main\\] "
                + "\\[probe-1 leader 7\\] d.r.probe - probe line with a \"quote\"");
        // A line without the context leaves the brackets out.
        assertThat(run.output.lines().filter(l -> l.contains("Started LogFormatProbe")).findFirst().orElseThrow())
                .doesNotContain("[  ]").contains("[main] d.r.c.LogFormatProbe - Started");
    }

    @Test
    void anUnknownFormatStopsStartUpNamingTheProperty() throws Exception {
        Run run = probe("--ratchet.log.format=xml");
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("ratchet.log.format must be plain or json (was: xml)");
    }

    private record Run(int exit, String output) {
    }

    private static Run probe(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LogFormatProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not exit");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
