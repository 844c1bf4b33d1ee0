package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's placement, identity, security and extension values (issue 16): each one reaches the object
 * it is meant for, and the defaults are the locked-down ones. Kubernetes-schema validity of the same
 * values is checked by {@link HelmChartTest}'s combinations.
 */
class ChartPodOptionsTest {

    private static Map<String, Object> pod(ChartRendering.Rendered r) {
        return at(r.one("StatefulSet"), "spec", "template", "spec");
    }

    @Test
    void placementValuesReachThePodAndAffinityReplacesThePreset() {
        Map<String, Object> defaults = pod(render());
        assertThat(defaults).doesNotContainKeys("priorityClassName", "topologySpreadConstraints");
        assertThat((Object) at(defaults, "affinity", "podAntiAffinity")).isNotNull();

        Map<String, Object> spec = pod(render(sets("priorityClassName", "critical-storage",
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                        + ".matchExpressions[0].key", "storage",
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                        + ".matchExpressions[0].operator", "Exists",
                "topologySpreadConstraints[0].maxSkew", 1,
                "topologySpreadConstraints[0].topologyKey", "topology.kubernetes.io/zone",
                "topologySpreadConstraints[0].whenUnsatisfiable", "DoNotSchedule",
                "nodeSelector.disk", "ssd", "tolerations[0].key", "dedicated", "tolerations[0].operator", "Exists")));
        assertThat((String) at(spec, "priorityClassName")).isEqualTo("critical-storage");
        assertThat((Map<String, Object>) at(spec, "affinity")).containsOnlyKeys("nodeAffinity");
        Map<String, Object> spread = at(spec, "topologySpreadConstraints", 0);
        assertThat(spread).containsEntry("topologyKey", "topology.kubernetes.io/zone").containsEntry("maxSkew", 1);
        // Left out by the user, the selector is filled with the pods' own labels, so the spread counts voters.
        assertThat((Map<String, Object>) at(spread, "labelSelector", "matchLabels"))
                .isEqualTo(at(render().one("StatefulSet"), "spec", "selector", "matchLabels"));
        assertThat((String) at(spec, "nodeSelector", "disk")).isEqualTo("ssd");
        assertThat((String) at(spec, "tolerations", 0, "key")).isEqualTo("dedicated");

        Map<String, Object> own = at(pod(render(sets("topologySpreadConstraints[0].maxSkew", 2,
                "topologySpreadConstraints[0].topologyKey", "zone", "topologySpreadConstraints[0].whenUnsatisfiable",
                "ScheduleAnyway", "topologySpreadConstraints[0].labelSelector.matchLabels.tier", "kv"))),
                "topologySpreadConstraints", 0, "labelSelector");
        assertThat(own).isEqualTo(Map.of("matchLabels", Map.of("tier", "kv")));
    }

    @Test
    void securityContextsAreLockedDownByDefaultAndTheIdsCanBeUnsetForOpenShift() {
        Map<String, Object> spec = pod(render());
        assertThat((Map<String, Object>) at(spec, "securityContext")).containsEntry("runAsUser", 10001)
                .containsEntry("fsGroup", 10001).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = at(spec, "containers", 0, "securityContext");
        assertThat(container).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);

        Map<String, Object> openShift = at(pod(render(sets("podSecurityContext.runAsUser", "null",
                "podSecurityContext.runAsGroup", "null", "podSecurityContext.fsGroup", "null"))), "securityContext");
        assertThat(openShift).doesNotContainKeys("runAsUser", "runAsGroup", "fsGroup").containsEntry("runAsNonRoot", true);
        assertThat((Object) at(openShift, "seccompProfile", "type")).isEqualTo("RuntimeDefault");

        assertThatThrownBy(() -> render(sets("podSecurityContext.runAsUser", -1))).hasMessageContaining("runAsUser");
    }

    @Test
    void podsRunAsTheirOwnServiceAccountWithoutAnApiToken() {
        ChartRendering.Rendered r = render();
        Map<String, Object> account = r.one("ServiceAccount");
        assertThat((String) at(account, "metadata", "name")).isEqualTo("ratchet");
        assertThat((Boolean) at(account, "automountServiceAccountToken")).isFalse();
        assertThat((String) at(pod(r), "serviceAccountName")).isEqualTo("ratchet");
        assertThat((Boolean) at(pod(r), "automountServiceAccountToken")).isFalse();

        ChartRendering.Rendered named = render(sets("serviceAccount.name", "kv-store",
                "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn", "arn:aws:iam::1:role/kv"));
        assertThat((String) at(named.one("ServiceAccount"), "metadata", "name")).isEqualTo("kv-store");
        assertThat((String) at(named.one("ServiceAccount"), "metadata", "annotations", "eks.amazonaws.com/role-arn"))
                .isEqualTo("arn:aws:iam::1:role/kv");
        assertThat((String) at(pod(named), "serviceAccountName")).isEqualTo("kv-store");

        ChartRendering.Rendered existing = render(sets("serviceAccount.create", false, "serviceAccount.name", "shared"));
        assertThat(existing.ofKind("ServiceAccount")).isEmpty();
        assertThat((String) at(pod(existing), "serviceAccountName")).isEqualTo("shared");
        assertThat((String) at(pod(render(sets("serviceAccount.create", false))), "serviceAccountName"))
                .isEqualTo("default");
    }

    @Test
    void extraVolumesMountsEnvSourcesAndInitContainersAreAddedBesideTheChartsOwn() {
        Map<String, Object> spec = pod(render(sets("extraVolumes[0].name", "ca", "extraVolumes[0].configMap.name",
                "corp-ca", "extraVolumeMounts[0].name", "ca", "extraVolumeMounts[0].mountPath", "/etc/corp-ca",
                "envFrom[0].configMapRef.name", "ratchet-tuning", "extraEnv[0].name", "RATCHET_PEER_HANDSHAKE_MAX_PENDING",
                "extraEnv[0].value", "32", "initContainers[0].name", "wait", "initContainers[0].image", "busybox:1.36")));
        List<Map<String, Object>> volumes = at(spec, "volumes");
        assertThat(volumes).extracting(v -> v.get("name")).containsExactly("tmp", "auth", "ca");
        List<Map<String, Object>> mounts = at(spec, "containers", 0, "volumeMounts");
        assertThat(mounts).extracting(m -> m.get("name")).containsExactly("data", "artifacts", "tmp", "auth", "ca");
        assertThat((String) at(spec, "containers", 0, "envFrom", 0, "configMapRef", "name")).isEqualTo("ratchet-tuning");
        assertThat(ChartRendering.env(render(sets("extraEnv[0].name", "X_Y", "extraEnv[0].value", "1")).one("StatefulSet")))
                .containsEntry("X_Y", "1");
        assertThat((String) at(spec, "initContainers", 0, "image")).isEqualTo("busybox:1.36");
        assertThat(pod(render())).doesNotContainKey("initContainers");

        assertThatThrownBy(() -> render(sets("extraVolumeMounts[0].name", "ca"))).hasMessageContaining("mountPath");
    }

    @Test
    void serviceAnnotationsAndVolumeRetentionReachTheirObjects() {
        ChartRendering.Rendered r = render(sets("service.annotations.external-dns\\.alpha\\.kubernetes\\.io/hostname",
                "kv.example", "persistentVolumeClaimRetentionPolicy.whenScaled", "Delete"));
        Map<String, Object> client = r.ofKind("Service").stream()
                .filter(s -> "ratchet".equals(at(s, "metadata", "name"))).findFirst().orElseThrow();
        assertThat((String) at(client, "metadata", "annotations", "external-dns.alpha.kubernetes.io/hostname"))
                .isEqualTo("kv.example");
        assertThat((Map<String, Object>) at(r.one("StatefulSet"), "spec", "persistentVolumeClaimRetentionPolicy"))
                .isEqualTo(Map.of("whenDeleted", "Retain", "whenScaled", "Delete"));
        assertThat((Map<String, Object>) at(render().one("StatefulSet"), "spec", "persistentVolumeClaimRetentionPolicy"))
                .isEqualTo(Map.of("whenDeleted", "Retain", "whenScaled", "Retain"));
        assertThatThrownBy(() -> render(sets("persistentVolumeClaimRetentionPolicy.whenScaled", "Drop")))
                .hasMessageContaining("whenScaled");
    }

    @Test
    void helmTestAsksTheClientServiceForReadinessAndIsNoMemberOfTheService() {
        ChartRendering.Rendered r = ChartRendering.renderWithHooks(sets());
        Map<String, Object> test = r.one("Pod");
        assertThat((String) at(test, "metadata", "annotations", "helm.sh/hook")).isEqualTo("test");
        List<String> command = at(test, "spec", "containers", 0, "command");
        assertThat(command).first().isEqualTo("curl");
        assertThat(command).last().isEqualTo("http://ratchet.store.svc.cluster.local:8080/actuator/health/readiness");
        assertThat(command).contains("--fail");
        // The Service (and the PDB) select by these labels: the test pod must not carry all of them.
        Map<String, Object> selector = at(r.one("StatefulSet"), "spec", "selector", "matchLabels");
        Map<String, Object> labels = at(test, "metadata", "labels");
        assertThat(labels.entrySet().containsAll(selector.entrySet())).as("%s carries %s", labels, selector).isFalse();
        assertThat((Boolean) at(test, "spec", "automountServiceAccountToken")).isFalse();
        assertThat(ChartRendering.renderWithHooks(sets("tests.enabled", false)).ofKind("Pod")).isEmpty();
        assertThat(render().ofKind("Pod")).as("a hook, not part of the release").isEmpty();
    }
}
