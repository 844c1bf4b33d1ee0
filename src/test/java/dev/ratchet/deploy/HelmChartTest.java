package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.env;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * helm/ratchet, without a cluster: Helm's lint, the rendered objects for several values combinations
 * (validated against the Kubernetes schemas by {@code tools/node/validate-manifests.mjs}), what each
 * object must say for a Raft cluster to form and survive restarts, and values the chart must refuse.
 */
class HelmChartTest {

    private static final String PEERS = "ratchet-peers.store.svc.cluster.local";

    /** Values combinations every rendering of which must be valid Kubernetes. */
    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of("defaults", sets()),
                Arguments.of("one node, soft spreading, no PDB", sets("replicaCount", 1, "podAntiAffinity", "soft")),
                Arguments.of("five nodes, monitoring, own secret", sets("replicaCount", 5, "auth.existingSecret", "mine",
                        "metrics.serviceMonitor.enabled", true, "metrics.prometheusRule.enabled", true,
                        "metrics.serviceMonitor.labels.release", "prom", "persistence.storageClass", "fast")),
                Arguments.of("tokens given, slow raft, fast rotation", sets("auth.joinToken", "j".repeat(20),
                        "auth.adminToken", "a".repeat(24), "raft.heartbeatInterval", "200ms",
                        "raft.electionTimeout", "2s", "trust.rootCertExpire", "90s", "trust.maxTrustRoots", 2,
                        "trust.certGrace", "5s", "podAntiAffinity", "none", "metrics.podAnnotations", false,
                        "javaOpts", "-Xss512k", "service.type", "LoadBalancer")),
                Arguments.of("artifacts on the data volume, a quota, no network policy", sets(
                        "persistence.artifacts.enabled", false, "artifacts.quota", "5GB", "artifacts.minFreeSpace", 0,
                        "networkPolicy.enabled", false)),
                Arguments.of("API open to one namespace, artifacts on a fast class", sets(
                        "networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "shop",
                        "networkPolicy.apiFrom[1].ipBlock.cidr", "10.1.0.0/16",
                        "persistence.artifacts.storageClass", "fast", "persistence.artifacts.size", "100Gi")),
                Arguments.of("HTTPS from a secret, scraped over TLS, a Grafana dashboard", sets(
                        "tls.existingSecret", "ratchet-api-tls", "tls.caKey", "ca.crt", "javaOpts", "-Xmx1g",
                        "metrics.serviceMonitor.enabled", true, "metrics.grafanaDashboard.enabled", true,
                        "metrics.grafanaDashboard.annotations.grafana_folder", "Stores")),
                Arguments.of("OpenShift ids, zones, own service account, extension points", sets(
                        "podSecurityContext.runAsUser", "null", "podSecurityContext.runAsGroup", "null",
                        "podSecurityContext.fsGroup", "null", "serviceAccount.create", false,
                        "serviceAccount.name", "ratchet-sa", "priorityClassName", "critical-storage",
                        "topologySpreadConstraints[0].maxSkew", 1,
                        "topologySpreadConstraints[0].topologyKey", "topology.kubernetes.io/zone",
                        "topologySpreadConstraints[0].whenUnsatisfiable", "DoNotSchedule",
                        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                                + ".matchExpressions[0].key", "storage",
                        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                                + ".matchExpressions[0].operator", "Exists",
                        "extraVolumes[0].name", "ca", "extraVolumes[0].configMap.name", "corp-ca",
                        "extraVolumeMounts[0].name", "ca", "extraVolumeMounts[0].mountPath", "/etc/corp-ca",
                        "envFrom[0].configMapRef.name", "ratchet-tuning",
                        "initContainers[0].name", "wait", "initContainers[0].image", "busybox:1.36",
                        "service.annotations.external-dns\\.alpha\\.kubernetes\\.io/hostname", "kv.example",
                        "persistentVolumeClaimRetentionPolicy.whenScaled", "Delete",
                        "tests.enabled", false)),
                Arguments.of("backups to a new claim, restore of pod-0", sets("backup.enabled", true,
                        "backup.keep", 3, "backup.timeZone", "Europe/Berlin", "restore.enabled", true,
                        "networkPolicy.apiFrom[0].podSelector.matchLabels.app", "shop")));
    }

    /** Values the schema or the chart's cross-checks must refuse, with words the refusal must contain. */
    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(sets("replicaCount", 0), "replicaCount"),
                Arguments.of(sets("replicaCount", "three"), "replicaCount"),
                Arguments.of(sets("raft.heartbeatInterval", "50"), "heartbeatInterval"),
                Arguments.of(sets("raft.electionTimeout", "100ms"), "at least 3x raft.heartbeatInterval"),
                Arguments.of(sets("raft.heartbeatInterval", "20s", "raft.electionTimeout", "1m"), "between 5ms and 10s"),
                Arguments.of(sets("trust.maxTrustRoots", 0), "maxTrustRoots"),
                Arguments.of(sets("trust.maxTrustRoots", 17), "maxTrustRoots"),
                Arguments.of(sets("trust.rootCertExpire", "-1d"), "rootCertExpire"),
                Arguments.of(sets("trust.certGrace", "100d"), "must not exceed trust.rootCertExpire"),
                Arguments.of(sets("auth.joinToken", "short"), "joinToken"),
                Arguments.of(sets("image.tag", "latest"), "tag"),
                Arguments.of(sets("podAntiAffinity", "sometimes"), "podAntiAffinity"),
                Arguments.of(sets("persistence.size", "10GB"), "size"),
                Arguments.of(sets("persistence.artifacts.size", "20GB"), "size"),
                Arguments.of(sets("artifacts.quota", "lots"), "quota"),
                Arguments.of(sets("artifacts.minFreeSpace", "-1GB"), "minFreeSpace"),
                Arguments.of(sets("networkPolicy.enabled", "yes"), "enabled"),
                Arguments.of(sets("replicas", 3), "replicas"),
                Arguments.of(sets("ports.peer", 70000), "peer"));
    }

    @Test
    void helmLintPassesInStrictMode() {
        LintResult lint = new Helm(ChartRendering.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void everyCombinationRendersValidKubernetesObjects(@TempDir Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        List<Arguments> all = combinations().toList();
        for (int i = 0; i < all.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) all.get(i).get()[1];
            Path file = dir.resolve("combination-" + i + ".yaml");
            Files.writeString(file, ChartRendering.renderWithHooks(values).text());
            files.add(file.toString());
        }
        NodeTools.Result result = NodeTools.script("validate-manifests.mjs", Duration.ofSeconds(90),
                files.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok StatefulSet/ratchet", "ok NetworkPolicy/ratchet", "ok ServiceMonitor/ratchet",
                "ok PrometheusRule/ratchet", "ok PodDisruptionBudget/ratchet",
                "ok ServiceAccount/ratchet", "ok Pod/ratchet-test-readiness", "ok CronJob/ratchet-backup").doesNotContain("invalid");
    }

    @Test
    void theSchemaCheckCatchesAnInvalidObject(@TempDir Path dir) throws IOException {
        // The validator is what makes the test above mean something: a wrong type must fail it.
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, render().text().replace("replicas: 3", "replicas: three"));
        NodeTools.Result result = NodeTools.script("validate-manifests.mjs", Duration.ofSeconds(60), file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("invalid StatefulSet/ratchet", "replicas must be integer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void everyCombinationRendersTheObjectsItAsksFor(String name, Map<String, Object> values) {
        ChartRendering.Rendered r = render(values);
        int replicas = ((Number) values.getOrDefault("replicaCount", 3)).intValue();
        List<String> expected = new ArrayList<>(List.of("Service", "Service", "StatefulSet", "ServiceAccount"));
        if (!Boolean.FALSE.equals(values.get("networkPolicy.enabled"))) {
            expected.add("NetworkPolicy");
        }
        if (replicas > 1) {
            expected.add("PodDisruptionBudget");
        }
        if (!values.containsKey("auth.existingSecret")) {
            expected.add("Secret");
        }
        if (Boolean.TRUE.equals(values.get("backup.enabled"))) {
            expected.addAll(List.of("CronJob", "ConfigMap", "PersistentVolumeClaim"));
        }
        if (Boolean.FALSE.equals(values.get("serviceAccount.create"))) {
            expected.remove("ServiceAccount");
        }
        if (Boolean.TRUE.equals(values.get("metrics.serviceMonitor.enabled"))) {
            expected.add("ServiceMonitor");
        }
        if (Boolean.TRUE.equals(values.get("metrics.prometheusRule.enabled"))) {
            expected.add("PrometheusRule");
        }
        if (Boolean.TRUE.equals(values.get("metrics.grafanaDashboard.enabled"))) {
            expected.add("ConfigMap");
        }
        assertThat(r.kinds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat((Integer) at(r.one("StatefulSet"), "spec", "replicas")).isEqualTo(replicas);
    }

    @Test
    void podsHaveStablePeerNamesAndPodZeroBootstraps() {
        ChartRendering.Rendered r = render();
        Map<String, Object> sts = r.one("StatefulSet");
        assertThat((String) at(sts, "spec", "serviceName")).isEqualTo("ratchet-peers");
        // Parallel: a fully stopped cluster must restart, and pod-0 cannot be ready before the others run.
        assertThat((String) at(sts, "spec", "podManagementPolicy")).isEqualTo("Parallel");
        Map<String, String> env = env(sts);
        assertThat(env).containsEntry("RATCHET_NODE_ID", "$(POD_NAME)")
                .containsEntry("RATCHET_PEER_HOST", "$(POD_NAME)." + PEERS)
                .containsEntry("RATCHET_PEER_BIND_HOST", "0.0.0.0")
                .containsEntry("RATCHET_BOOTSTRAP_NODE", "ratchet-0")
                .containsEntry("RATCHET_BOOTSTRAP_EXPECT", "3")
                .containsEntry("RATCHET_JOIN_ADDRESSES", "http://ratchet-0." + PEERS + ":8080,http://ratchet-1." + PEERS
                        + ":8080,http://ratchet-2." + PEERS + ":8080")
                .containsEntry("RATCHET_PEERS", "ratchet-0@ratchet-0." + PEERS + ":7000,ratchet-1@ratchet-1." + PEERS
                        + ":7000,ratchet-2@ratchet-2." + PEERS + ":7000")
                .containsEntry("RATCHET_JOIN_TOKEN_FILE", "/etc/ratchet/auth/join-token")
                .containsEntry("RATCHET_ADMIN_TOKEN_FILE", "/etc/ratchet/auth/admin-token")
                .containsEntry("RATCHET_RAFT_ELECTION_TIMEOUT", "500ms")
                .containsEntry("RATCHET_TRUST_ROOT_CERT_EXPIRE", "90d")
                .containsEntry("RATCHET_TRUST_MAX_TRUST_ROOTS", "3")
                .containsEntry("RATCHET_TRUST_CERT_GRACE", "1h");
        // The first three pods are the join seeds, so scaling 3 -> 5 leaves the pod template (and pods) alone.
        assertThat(env(render(sets("replicaCount", 5)).one("StatefulSet"))).isEqualTo(env);

        Map<String, Object> headless = r.ofKind("Service").stream()
                .filter(s -> "ratchet-peers".equals(at(s, "metadata", "name"))).findFirst().orElseThrow();
        assertThat((String) at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat((Boolean) at(headless, "spec", "publishNotReadyAddresses")).isTrue();
    }

    @Test
    void podsProbeTheHealthGroupsAndRunLockedDown() {
        Map<String, Object> sts = render().one("StatefulSet");
        Map<String, Object> c = at(sts, "spec", "template", "spec", "containers", 0);
        assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((String) at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((List<String>) at(c, "lifecycle", "preStop", "exec", "command")).containsExactly(
                "/usr/local/bin/ratchet-prestop", "5");
        assertThat((Boolean) at(c, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(sts, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isTrue();
        assertThat((String) at(c, "resources", "requests", "memory")).isEqualTo("512Mi");
        assertThat((String) at(sts, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"))
                .isEqualTo("10Gi");
        assertThat((String) at(sts, "spec", "template", "spec", "affinity", "podAntiAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", 0, "topologyKey")).isEqualTo("kubernetes.io/hostname");
        assertThat((String) at(sts, "spec", "template", "metadata", "annotations", "prometheus.io/path"))
                .isEqualTo("/actuator/prometheus");
        // The image's data dir and user match the chart's mounts and security context.
        assertThat((String) at(c, "volumeMounts", 0, "mountPath")).isEqualTo("/data");
        assertThat(ChartRendering.env(sts)).containsEntry("RATCHET_DATA_DIR", "/data/node");
        assertThat((Integer) at(render().one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
    }

    @Test
    void tokensComeFromValuesOrAnExistingSecretAndAreNeverInvented() {
        // Rendering twice without a cluster (helm template, Argo CD) must not produce two different tokens:
        // with no tokens given and no Secret to keep, the chart refuses and says what to set.
        assertThatThrownBy(() -> ChartRendering.renderExactly(sets()))
                .hasMessageContaining("auth.existingSecret").hasMessageContaining("auth.joinToken")
                .hasMessageContaining("does not generate tokens");
        assertThatThrownBy(() -> ChartRendering.renderExactly(sets("auth.joinToken", "j".repeat(20))))
                .hasMessageContaining("missing: auth.adminToken");
        assertThat((String) at(render().one("Secret"), "metadata", "annotations", "helm.sh/resource-policy"))
                .isEqualTo("keep");

        Map<String, Object> given = at(render(sets("auth.joinToken", "j".repeat(20), "auth.adminToken",
                "a".repeat(20))).one("Secret"), "data");
        assertThat(decode(given.get("join-token"))).isEqualTo("j".repeat(20));
        assertThat(decode(given.get("admin-token"))).isEqualTo("a".repeat(20));
        assertThat(render(sets("auth.joinToken", "j".repeat(20), "auth.adminToken", "a".repeat(20))).text())
                .isEqualTo(render(sets("auth.joinToken", "j".repeat(20), "auth.adminToken", "a".repeat(20))).text());

        ChartRendering.Rendered external = render(sets("auth.existingSecret", "vault-synced"));
        assertThat(external.ofKind("Secret")).isEmpty();
        List<Map<String, Object>> volumes = at(external.one("StatefulSet"), "spec", "template", "spec", "volumes");
        assertThat(volumes).anySatisfy(v -> assertThat((String) at(v, "secret", "secretName")).isEqualTo("vault-synced"));
    }

    @Test
    void anUpgradeKeepsTheTokensOfTheExistingSecret() {
        // Helm's lookup sees the Secret an earlier chart version generated (served by FakeKubeApi).
        ChartRendering.API.putSecret(ChartRendering.NAMESPACE, "ratchet-auth",
                Map.of("join-token", "kept-join-token-0123456789", "admin-token", "kept-admin-token-0123456789"));
        try {
            Map<String, Object> data = at(ChartRendering.renderExactly(sets()).one("Secret"), "data");
            assertThat(decode(data.get("join-token"))).isEqualTo("kept-join-token-0123456789");
            assertThat(decode(data.get("admin-token"))).isEqualTo("kept-admin-token-0123456789");
            // A value given explicitly still wins over the stored one.
            Map<String, Object> given = at(render(sets("auth.adminToken", "b".repeat(16))).one("Secret"), "data");
            assertThat(decode(given.get("admin-token"))).isEqualTo("b".repeat(16));
            assertThat(decode(given.get("join-token"))).isEqualTo("kept-join-token-0123456789");
        } finally {
            ChartRendering.API.clearSecrets();
        }
    }

    @Test
    void rendersAsASubchartWithGlobalValues() {
        // A parent chart passes "global" to every subchart; a schema whose root forbids it fails there.
        assertThat(render(sets("global.imageRegistry", "registry.example")).kinds()).contains("StatefulSet");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void badValuesAreRefusedWithTheirName(Map<String, Object> values, String expected) {
        assertThatThrownBy(() -> render(values)).hasMessageContaining(expected);
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void artifactsGetAVolumeOfTheirOwnWhereTheNodeKeepsBlobs() {
        Map<String, Object> sts = render().one("StatefulSet");
        List<Map<String, Object>> claims = at(sts, "spec", "volumeClaimTemplates");
        assertThat(claims).extracting(c -> at(c, "metadata", "name")).containsExactly("data", "artifacts");
        assertThat((String) at(claims.get(1), "spec", "resources", "requests", "storage")).isEqualTo("20Gi");
        assertThat((Map<String, Object>) at(claims.get(1), "spec")).doesNotContainKey("storageClassName");
        List<Map<String, Object>> mounts = at(sts, "spec", "template", "spec", "containers", 0, "volumeMounts");
        assertThat(mounts).anySatisfy(m -> {
            assertThat(m).containsEntry("name", "artifacts").containsEntry("mountPath", "/artifacts");
        });
        // The blob directory is inside the artifacts mount, not under the data directory.
        assertThat(env(sts)).containsEntry("RATCHET_ARTIFACTS_DIR", "/artifacts/blobs")
                .containsEntry("RATCHET_ARTIFACTS_QUOTA", "0").containsEntry("RATCHET_ARTIFACTS_MIN_FREE_SPACE", "1GB");

        Map<String, Object> fast = render(sets("persistence.artifacts.storageClass", "fast",
                "persistence.artifacts.size", "100Gi")).one("StatefulSet");
        assertThat((String) at(fast, "spec", "volumeClaimTemplates", 1, "spec", "storageClassName")).isEqualTo("fast");
        assertThat((String) at(fast, "spec", "volumeClaimTemplates", 1, "spec", "resources", "requests", "storage"))
                .isEqualTo("100Gi");

        Map<String, Object> shared = render(sets("persistence.artifacts.enabled", false)).one("StatefulSet");
        assertThat((List<Map<String, Object>>) at(shared, "spec", "volumeClaimTemplates")).hasSize(1);
        assertThat((List<Map<String, Object>>) at(shared, "spec", "template", "spec", "containers", 0, "volumeMounts"))
                .noneSatisfy(m -> assertThat(m).containsEntry("name", "artifacts"));
        assertThat(env(shared)).doesNotContainKey("RATCHET_ARTIFACTS_DIR");
    }

    @Test
    void theNetworkPolicyAdmitsOnlyTheStatefulSetsPodsToThePeerPort() {
        ChartRendering.Rendered r = render();
        Map<String, Object> policy = r.one("NetworkPolicy");
        Map<String, Object> selector = at(r.one("StatefulSet"), "spec", "selector", "matchLabels");
        assertThat((Map<String, Object>) at(policy, "spec", "podSelector", "matchLabels")).isEqualTo(selector);
        assertThat((List<String>) at(policy, "spec", "policyTypes")).containsExactly("Ingress");
        List<Map<String, Object>> rules = at(policy, "spec", "ingress");
        assertThat(rules).hasSize(2);
        // Rule 0: the pods themselves, on both ports; the selector is the StatefulSet's own.
        assertThat((List<Map<String, Object>>) at(rules.get(0), "from")).singleElement()
                .satisfies(from -> assertThat((Map<String, Object>) at(from, "podSelector", "matchLabels"))
                        .isEqualTo(selector));
        assertThat(ports(rules.get(0))).containsExactlyInAnyOrder("peer", "http");
        // Rule 1: the API port from anywhere by default; no other rule names the peer port.
        assertThat(ports(rules.get(1))).containsExactly("http");
        assertThat(rules.get(1)).doesNotContainKey("from");
        // The named ports exist on the container.
        List<Map<String, Object>> containerPorts = at(r.one("StatefulSet"), "spec", "template", "spec", "containers", 0,
                "ports");
        assertThat(containerPorts).extracting(p -> p.get("name")).contains("peer", "http");

        Map<String, Object> restricted = render(sets(
                "networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "shop")).one("NetworkPolicy");
        List<Map<String, Object>> from = at(restricted, "spec", "ingress", 1, "from");
        assertThat(from).hasSize(2);
        assertThat((String) at(from.get(0), "namespaceSelector", "matchLabels", "team")).isEqualTo("shop");
        // The chart's own clients (helm test, backups) still reach the API; they are not StatefulSet pods.
        assertThat((Map<String, Object>) at(from.get(1), "podSelector", "matchLabels"))
                .containsEntry("app.kubernetes.io/part-of", "ratchet").doesNotContainKey("app.kubernetes.io/name");
        assertThat(ports(at(restricted, "spec", "ingress", 1))).containsExactly("http");

        assertThat(render(sets("networkPolicy.enabled", false)).ofKind("NetworkPolicy")).isEmpty();
    }

    private static List<Object> ports(Map<String, Object> rule) {
        List<Map<String, Object>> ports = at(rule, "ports");
        return ports.stream().map(p -> p.get("port")).toList();
    }
}
