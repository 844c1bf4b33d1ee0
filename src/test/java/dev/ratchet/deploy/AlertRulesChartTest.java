package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's PrometheusRule is the source of the alert rules: docs/alerts/ratchet-rules.yml is its
 * rendering with the defaults, its thresholds follow the values, and the promtool fixtures
 * (docs/alerts/ratchet-rules.test.yml, run by dev.ratchet.metrics.AlertRulesTest) carry the labels the
 * chart's ServiceMonitor gives the scraped series. Run with {@code -Dratchet.writeAlertRules=true} to
 * rewrite the docs file from the chart.
 */
class AlertRulesChartTest {

    private static final Path DOCS_RULES = NodeTools.ROOT.resolve("docs/alerts/ratchet-rules.yml");
    private static final Path DOCS_TESTS = NodeTools.ROOT.resolve("docs/alerts/ratchet-rules.test.yml");

    @Test
    void documentedRulesAreTheChartsRenderedWithDefaults() throws IOException {
        Map<String, Object> spec = at(render(sets("metrics.prometheusRule.enabled", true)).one("PrometheusRule"), "spec");
        if (Boolean.getBoolean("ratchet.writeAlertRules")) {
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            o.setWidth(200);
            Files.writeString(DOCS_RULES, "# Prometheus alerting rules for Ratchet: helm/ratchet's PrometheusRule rendered with the\n"
                    + "# chart's defaults (release \"ratchet\", namespace \"store\"; dev.ratchet.deploy.AlertRulesChartTest\n"
                    + "# keeps them identical). Metrics: docs/metrics.md; responses: docs/operations.md (\"Alerts\").\n"
                    + "# Checked by `promtool check rules` and `promtool test rules ratchet-rules.test.yml`.\n"
                    + new Yaml(o).dump(spec));
        }
        assertThat(ChartRendering.parse(Files.readString(DOCS_RULES)))
                .as("docs/alerts/ratchet-rules.yml must be the chart's rules (rewrite: -Dratchet.writeAlertRules=true)")
                .containsExactly(spec);
    }

    @Test
    void thresholdsComeFromValues() {
        String rules = render(sets("metrics.prometheusRule.enabled", true, "metrics.prometheusRule.lagEntries", 2500,
                "replicaCount", 5, "trust.rootCertExpire", "30d", "trust.maxTrustRoots", 3, "trust.certGrace", "1h"))
                .text();
        assertThat(rules).contains("ratchet_raft_apply_lag_entries{job=\"ratchet-peers\", namespace=\"store\"} > 2500", "< 3\n", "== 3");
        // Newest root: lives 30d + 1h; two 10-day rotation intervals of age leave 10d + 1h = 867600 s.
        assertThat(rules).contains("ratchet_trust_newest_root_expiry_seconds{job=\"ratchet-peers\", namespace=\"store\"} < 867600");
    }

    @Test
    void fixturesCarryTheLabelsOfTheServiceMonitor() throws IOException {
        ChartRendering.Rendered r = render(sets("metrics.serviceMonitor.enabled", true));
        Map<String, Object> monitor = r.one("ServiceMonitor");
        Map<String, Object> selector = at(monitor, "spec", "selector", "matchLabels");
        // Prometheus Operator sets job to the name of the Service it found the endpoint through.
        List<String> services = r.ofKind("Service").stream()
                .filter(s -> ((Map<?, ?>) at(s, "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
                .map(s -> (String) at(s, "metadata", "name")).toList();
        assertThat(services).hasSize(1);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("job", services.get(0));
        expected.put("namespace", ChartRendering.NAMESPACE);
        expected.put("service", services.get(0));
        expected.put("endpoint", at(monitor, "spec", "endpoints", 0, "port"));

        Matcher m = Pattern.compile("series: '(ratchet_[a-z_]+|up|http_server_requests_seconds_count)\\{([^}]*)}'")
                .matcher(Files.readString(DOCS_TESTS));
        int seen = 0;
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (String pair : m.group(2).split(",\\s*")) {
                String[] kv = pair.split("=", 2);
                labels.put(kv[0].trim(), kv[1].replace("\"", ""));
            }
            assertThat(labels).as("labels of fixture %s{%s}", m.group(1), m.group(2)).containsAllEntriesOf(expected);
            seen++;
        }
        assertThat(seen).isGreaterThan(5);
    }
}
