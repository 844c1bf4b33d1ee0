package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * .gitlab-ci.yml: gitlab-ci-local accepts it (its JSON schema and needs), its jobs call suites that
 * tools/test.sh really has, the multitest matrix covers every shard, test jobs publish JUnit reports,
 * and one small job really runs through tools/ci-local.sh. The build and test jobs themselves are not
 * re-run here: that would run the suite inside the suite (run them with tools/ci-local.sh).
 */
class GitlabPipelineTest {

    private static final Path PIPELINE = NodeTools.ROOT.resolve(".gitlab-ci.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pipeline() throws IOException {
        return (Map<String, Object>) ChartRendering.parse(Files.readString(PIPELINE)).get(0);
    }

    @Test
    void gitlabCiLocalAcceptsThePipelineAndSeesEveryJob() {
        NodeTools.Result r = NodeTools.bin("gitlab-ci-local", Map.of(), Duration.ofSeconds(60), "--list");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("json schema validated");
        for (String job : List.of("build", "test:unit", "test:simulation", "test:cluster", "test:failover", "test:chart",
                "multitest: [0]", "multitest: [3]", "package:jar", "package:chart")) {
            assertThat(r.output()).contains(job);
        }
    }

    @Test
    void stagesRunBuildThenParallelTestsThenPackage() throws IOException {
        Map<String, Object> p = pipeline();
        assertThat((List<String>) at(p, "stages")).containsExactly("build", "test", "package");
        for (String job : List.of("test:unit", "test:simulation", "test:cluster", "test:failover", "test:chart")) {
            assertThat(p).containsKey(job);
            assertThat((String) at(p, job, "extends")).isEqualTo(".test");
        }
        assertThat((List<String>) at(p, ".test", "needs")).containsExactly("build");
        assertThat((String) at(p, ".test", "stage")).isEqualTo("test");
        assertThat((String) at(p, ".test", "artifacts", "reports", "junit")).contains("surefire-reports");
        assertThat((String) at(p, "build", "cache", "policy")).isEqualTo("pull-push");
    }

    @Test
    void everySuiteAJobAsksForExistsInTestSh() throws IOException {
        Set<String> known = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\s{2}([a-z]+)\\)$").matcher(Files.readString(NodeTools.ROOT.resolve("tools/test.sh")));
        while (m.find()) {
            known.add(m.group(1));
        }
        assertThat(known).contains("unit", "simulation", "cluster", "failover", "deploy");
        List<String> asked = new ArrayList<>();
        for (Map.Entry<String, Object> job : pipeline().entrySet()) {
            if (job.getValue() instanceof Map<?, ?> body && body.get("script") instanceof List<?> script) {
                for (Object line : script) {
                    Matcher call = Pattern.compile("tools/test\\.sh\\s+(\\S+)").matcher(String.valueOf(line));
                    if (call.find()) {
                        asked.add(call.group(1));
                    }
                }
            }
        }
        assertThat(asked).containsExactlyInAnyOrder("unit", "simulation", "cluster", "failover", "deploy");
        assertThat(known).containsAll(asked);
    }

    @Test
    void theMultitestMatrixCoversEveryShard() throws IOException {
        Map<String, Object> p = pipeline();
        List<String> shards = at(p, "multitest", "parallel", "matrix", 0, "SHARD");
        String script = String.join("\n", (List<String>) at(p, "multitest", "script"));
        Matcher count = Pattern.compile("--shards\\s+(\\d+)").matcher(script);
        assertThat(count.find()).as(script).isTrue();
        int n = Integer.parseInt(count.group(1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(String.valueOf(i));
        }
        assertThat(shards).containsExactlyElementsOf(expected);
        assertThat(script).contains("--shard \"$SHARD\"");
    }

    @Test
    void aJobRunsLocallyThroughCiLocal() throws IOException {
        Path chart = NodeTools.ROOT.resolve("target/chart");
        if (Files.isDirectory(chart)) {
            try (var files = Files.list(chart)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        NodeTools.Result r = NodeTools.run(List.of("bash", "tools/ci-local.sh", "package:chart"), Map.of(),
                Duration.ofSeconds(120));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("PASS", "package:chart");
        assertThat(chart.resolve("ratchet-0.2.0.tgz")).isNotEmptyFile();
    }
}
