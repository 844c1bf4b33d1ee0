package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.config.ArtifactProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.trust.TrustSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * The environment the chart gives a pod, as the container would see it ({@code $(VAR)} expanded the way
 * the kubelet does, Secret keys filled in), bound by Spring Boot's own binder into
 * {@link RatchetProperties}: the node's own validation accepts what the chart renders, and the values
 * arrive under the property names the node reads.
 */
class ChartConfigurationTest {

    private static final Pattern KUBELET_VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ratchet.deploy.HelmChartTest#combinations")
    void everyPodOfEveryCombinationGetsAConfigurationTheNodeAccepts(String name, Map<String, Object> values) {
        ChartRendering.Rendered r = render(values);
        // The node read its tokens from the mounted Secret's files; nothing secret is in the environment.
        assertThat(ChartRendering.env(r.one("StatefulSet")).values()).noneMatch(v -> v.startsWith("valueFrom:")
                && !v.equals("valueFrom:fieldRef"));
        int replicas = ((Number) values.getOrDefault("replicaCount", 3)).intValue();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Map<String, Object> env = podEnvironment(r, "ratchet-" + ordinal);
            RatchetProperties p = bind(env);
            assertThat(p.nodeId()).isEqualTo("ratchet-" + ordinal);
            assertThat(p.peer().host()).isEqualTo("ratchet-" + ordinal + ".ratchet-peers.store.svc.cluster.local");
            assertThat(p.peer().bindHost()).isEqualTo("0.0.0.0");
            // https when the API serves TLS from tls.existingSecret.
            String scheme = values.containsKey("tls.existingSecret") ? "https" : "http";
            assertThat(p.apiUrl()).isEqualTo(scheme + "://ratchet-" + ordinal + ".ratchet-peers.store.svc.cluster.local:8080");
            assertThat(p.dataDir().toString()).isEqualTo("/data/node");
            assertThat(p.joinAddresses()).hasSize(Math.min(3, replicas));
            assertThat(p.peers()).hasSize(Math.min(3, replicas));
            // The trust settings pass the node's cross-checks (grace vs expiry, rotation interval).
            RatchetProperties.Trust t = p.trust();
            new TrustSettings(t.rootCertExpire(), t.maxTrustRoots(), t.certGrace(), t.keyType());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ratchet.deploy.HelmChartTest#combinations")
    void valuesArriveUnderThePropertiesTheNodeReads(String name, Map<String, Object> values) {
        RatchetProperties p = bind(podEnvironment(render(values), "ratchet-1"));
        assertThat(p.raft().heartbeatInterval()).isEqualTo(duration(values.getOrDefault("raft.heartbeatInterval", "50ms")));
        assertThat(p.raft().electionTimeout()).isEqualTo(duration(values.getOrDefault("raft.electionTimeout", "500ms")));
        assertThat(p.trust().rootCertExpire()).isEqualTo(duration(values.getOrDefault("trust.rootCertExpire", "90d")));
        assertThat(p.trust().certGrace()).isEqualTo(duration(values.getOrDefault("trust.certGrace", "1h")));
        assertThat(p.trust().maxTrustRoots()).isEqualTo(((Number) values.getOrDefault("trust.maxTrustRoots", 3)).intValue());
        ArtifactProperties a = bindArtifacts(podEnvironment(render(values), "ratchet-1"));
        boolean ownVolume = !Boolean.FALSE.equals(values.get("persistence.artifacts.enabled"));
        assertThat(a.dir()).isEqualTo(ownVolume ? java.nio.file.Path.of("/artifacts/blobs") : null);
        assertThat(a.quota()).isEqualTo(DataSize.parse(String.valueOf(values.getOrDefault("artifacts.quota", "0"))));
        assertThat(a.minFreeSpace())
                .isEqualTo(DataSize.parse(String.valueOf(values.getOrDefault("artifacts.minFreeSpace", "1GB"))));
        if (values.containsKey("auth.joinToken")) {
            assertThat(p.joinToken()).isEqualTo(values.get("auth.joinToken"));
            assertThat(p.adminToken()).isEqualTo(values.get("auth.adminToken"));
        } else if (!values.containsKey("auth.existingSecret")) {
            assertThat(p.joinToken()).isEqualTo(ChartRendering.TEST_JOIN_TOKEN);
            assertThat(p.adminToken()).isEqualTo(ChartRendering.TEST_ADMIN_TOKEN);
        } else {
            assertThat(p.joinToken()).isEqualTo(EXTERNAL_JOIN_TOKEN);
        }
    }

    private static Duration duration(Object springDuration) {
        return ApplicationConversionService.getSharedInstance().convert(springDuration, Duration.class);
    }

    private static ArtifactProperties bindArtifacts(Map<String, Object> env) {
        return binder(env).bindOrCreate("ratchet.artifacts", Bindable.of(ArtifactProperties.class));
    }

    private static RatchetProperties bind(Map<String, Object> env) {
        return binder(env).bind("ratchet", Bindable.of(RatchetProperties.class)).get();
    }

    private static Binder binder(Map<String, Object> env) {
        MutablePropertySources sources = new MutablePropertySources();
        // Named like the real environment source: only that name gets Spring's RATCHET_PEER_HOST ->
        // ratchet.peer.host mapping, so a misspelled variable would leave the default and fail here.
        sources.addFirst(new SystemEnvironmentPropertySource(
                org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return new Binder(ConfigurationPropertySources.from(sources), null,
                ApplicationConversionService.getSharedInstance());
    }

    private static final String EXTERNAL_JOIN_TOKEN = "external-join-token-0123";

    /**
     * The container env of one pod: fieldRefs, Secret keys and {@code $(VAR)} references resolved, and
     * the Secret volume "auth" written to a directory that stands in for its mount path (paths under the
     * mount path in the env are rewritten to it), as the kubelet would project it.
     */
    private static Map<String, Object> podEnvironment(ChartRendering.Rendered r, String podName) {
        Map<String, String> secret = new LinkedHashMap<>();
        List<Map<String, Object>> secrets = r.ofKind("Secret");
        if (secrets.isEmpty()) {
            secret.put("join-token", EXTERNAL_JOIN_TOKEN);
            secret.put("admin-token", "external-admin-token-0123");
        } else {
            Map<String, Object> data = at(secrets.get(0), "data");
            data.forEach((k, v) -> secret.put(k, new String(Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8)));
        }
        Map<String, Object> sts = r.one("StatefulSet");
        String mountPath = mountedSecret(sts, secret);
        List<Map<String, Object>> env = at(sts, "spec", "template", "spec", "containers", 0, "env");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> e : env) {
            String value;
            if (e.get("value") != null) {
                value = expand(String.valueOf(e.get("value")), out);
            } else if (at(e, "valueFrom") instanceof Map<?, ?> from && from.get("secretKeyRef") instanceof Map<?, ?> ref) {
                value = secret.get((String) ref.get("key"));
            } else {
                assertThat((String) at(e, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
                value = podName;
            }
            if (value != null && value.startsWith(AUTH_MOUNT + "/")) {
                value = mountPath + value.substring(AUTH_MOUNT.length());
            }
            out.put((String) e.get("name"), value);
        }
        return out;
    }

    private static final String AUTH_MOUNT = "/etc/ratchet/auth";

    /** Writes the "auth" Secret volume's items into a fresh directory; returns that directory. */
    private static String mountedSecret(Map<String, Object> sts, Map<String, String> secret) {
        List<Map<String, Object>> mounts = at(sts, "spec", "template", "spec", "containers", 0, "volumeMounts");
        Map<String, Object> mount = mounts.stream().filter(m -> "auth".equals(m.get("name"))).findFirst().orElseThrow();
        assertThat(mount).containsEntry("mountPath", AUTH_MOUNT).containsEntry("readOnly", true);
        List<Map<String, Object>> volumes = at(sts, "spec", "template", "spec", "volumes");
        Map<String, Object> volume = volumes.stream().filter(v -> "auth".equals(v.get("name"))).findFirst().orElseThrow();
        List<Map<String, Object>> items = at(volume, "secret", "items");
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ratchet-auth");
            dir.toFile().deleteOnExit();
            for (Map<String, Object> item : items) {
                java.nio.file.Path file = dir.resolve((String) item.get("path"));
                java.nio.file.Files.writeString(file, secret.get((String) item.get("key")));
                file.toFile().deleteOnExit();
            }
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The kubelet's rule: $(NAME) of a variable defined earlier is replaced; anything else stays. */
    private static String expand(String value, Map<String, Object> defined) {
        Matcher m = KUBELET_VAR.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = defined.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : String.valueOf(v)));
        }
        return m.appendTail(sb).toString();
    }

}
