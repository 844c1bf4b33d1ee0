package dev.ratchet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example alert rules in docs/alerts/ are valid ({@code promtool check rules}), behave as their unit
 * tests say ({@code promtool test rules}), and use only metrics that docs/metrics.md documents.
 */
class AlertRulesTest {

    private static final Path ALERTS = Path.of("docs", "alerts");

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        PrometheusTools.Result r = PrometheusTools.promtool(ALERTS, null, "check", "rules", "ratchet-rules.yml");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        PrometheusTools.Result r = PrometheusTools.promtool(ALERTS, null, "test", "rules", "ratchet-rules.test.yml");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void aBrokenRuleIsCaught(@TempDir Path dir) throws Exception {
        // Guards the two checks above against passing vacuously (e.g. promtool ignoring the file).
        String rules = Files.readString(ALERTS.resolve("ratchet-rules.yml"))
                .replace("ratchet_raft_has_leader{job=\"ratchet-peers\", namespace=\"store\"} == 0",
                        "ratchet_raft_has_leader{job=\"ratchet-peers\", namespace=\"store\"} ==");
        Files.writeString(dir.resolve("ratchet-rules.yml"), rules);
        PrometheusTools.Result r = PrometheusTools.promtool(dir, null, "check", "rules", "ratchet-rules.yml");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
    }

    @Test
    void everyMetricInTheRulesIsDocumented() throws Exception {
        String rules = Files.readString(ALERTS.resolve("ratchet-rules.yml"));
        String doc = Files.readString(Path.of("docs", "metrics.md"));
        Set<String> used = new LinkedHashSet<>();
        Matcher m = Pattern.compile("ratchet_[a-z_]+").matcher(rules);
        while (m.find()) {
            if (!m.group().equals("ratchet_") && !m.group().startsWith("ratchet_rules")) {
                used.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(used).isNotEmpty();
        for (String metric : used) {
            assertThat(doc).as("docs/metrics.md documents %s", metric).contains("`" + metric);
        }
    }

    @Test
    void everyRunbookUrlPointsAtAHeadingOfTheOperationsGuide() throws Exception {
        String rules = Files.readString(ALERTS.resolve("ratchet-rules.yml"));
        Set<String> headings = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("docs", "operations.md"))) {
            if (line.startsWith("#")) {
                headings.add(line.replaceFirst("^#+\\s*", "").toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        Matcher m = Pattern.compile("runbook_url: \\S*operations\\.md#([a-z0-9-]+)").matcher(rules);
        int seen = 0;
        while (m.find()) {
            assertThat(headings).as("docs/operations.md has a heading for #%s", m.group(1)).contains(m.group(1));
            seen++;
        }
        assertThat(seen).isGreaterThan(10);
    }
}
