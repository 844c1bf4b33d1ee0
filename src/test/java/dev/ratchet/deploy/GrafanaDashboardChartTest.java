package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's Grafana dashboard ConfigMap: off by default; on, it carries the sidecar's label and the
 * dashboard file unchanged; labels, annotations and namespace follow the values, which the schema checks.
 * (That every query names a metric a node exports: dev.ratchet.metrics.NodeMetricsScrapeTest.)
 */
class GrafanaDashboardChartTest {

    static final Path DASHBOARD = NodeTools.ROOT.resolve("helm/ratchet/dashboards/ratchet.json");

    @Test
    void offByDefault() {
        assertThat(render().ofKind("ConfigMap")).noneMatch(c -> String.valueOf(at(c, "metadata", "name")).endsWith("-dashboard"));
    }

    @Test
    void onItCarriesTheSidecarLabelAndTheDashboardUnchanged() throws IOException {
        Map<String, Object> cm = render(sets("metrics.grafanaDashboard.enabled", true)).one("ConfigMap");
        assertThat(at(cm, "metadata", "name").toString()).isEqualTo("ratchet-dashboard");
        Map<String, Object> labels = at(cm, "metadata", "labels");
        assertThat(labels).containsEntry("grafana_dashboard", "1").containsKey("app.kubernetes.io/name");
        String json = at(cm, "data", "ratchet.json");
        JsonNode served = JsonMapper.builder().build().readTree(json);
        JsonNode file = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        assertThat(served).isEqualTo(file);
        assertThat(served.path("uid").asString()).isEqualTo("ratchet-overview");
    }

    @Test
    void labelsAnnotationsAndNamespaceFollowTheValues() {
        Map<String, Object> cm = render(sets("metrics.grafanaDashboard.enabled", true,
                "metrics.grafanaDashboard.labels.grafana_dashboard", "ratchet",
                "metrics.grafanaDashboard.annotations.grafana_folder", "Stores",
                "metrics.grafanaDashboard.namespace", "monitoring")).one("ConfigMap");
        assertThat((Map<String, Object>) at(cm, "metadata", "labels")).containsEntry("grafana_dashboard", "ratchet");
        assertThat((Map<String, Object>) at(cm, "metadata", "annotations")).containsEntry("grafana_folder", "Stores");
        assertThat(at(cm, "metadata", "namespace").toString()).isEqualTo("monitoring");
    }

    @Test
    void theSchemaRefusesUnknownKeysAndBadNamespaces() {
        assertThatThrownBy(() -> render(sets("metrics.grafanaDashboard.folder", "x"))).hasMessageContaining("folder");
        assertThatThrownBy(() -> render(sets("metrics.grafanaDashboard.namespace", "Not_A_Namespace")))
                .hasMessageContaining("namespace");
    }
}
