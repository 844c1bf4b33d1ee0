package dev.ratchet.deploy;

import static dev.ratchet.deploy.ChartRendering.at;
import static dev.ratchet.deploy.ChartRendering.env;
import static dev.ratchet.deploy.ChartRendering.render;
import static dev.ratchet.deploy.ChartRendering.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code tls.existingSecret}: the API serves HTTPS from a reloading PEM SSL bundle mounted from the
 * Secret (the properties dev.ratchet.admin.ApiHttpsTest serves HTTPS with), every URL and probe the chart
 * writes says https, the members' JVM trusts the Secret's CA, and the ServiceMonitor scrapes over TLS.
 * Off by default: plain HTTP as before.
 */
class ApiTlsChartTest {

    private static final Map<String, Object> TLS = sets("tls.existingSecret", "api-tls",
            "metrics.serviceMonitor.enabled", true);

    private static Map<String, Object> statefulSet(Map<String, Object> sets) {
        return render(sets).one("StatefulSet");
    }

    /** Binds {@code property} from the container's env the way Spring Boot reads the process environment. */
    private static String bound(Map<String, String> env, String property) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("chart", new HashMap<>(env)));
        return Binder.get(environment).bind(property, String.class).orElse(null);
    }

    @Test
    void withoutTheSecretTheApiStaysPlainHttp() {
        Map<String, Object> sts = statefulSet(sets("metrics.serviceMonitor.enabled", true));
        Map<String, String> env = env(sts);
        assertThat(env).doesNotContainKey("SERVER_SSL_BUNDLE");
        assertThat(env.get("RATCHET_API_URL")).startsWith("http://");
        assertThat(env.get("RATCHET_JOIN_ADDRESSES")).startsWith("http://").doesNotContain("https://");
        assertThat(env.get("JAVA_OPTS")).doesNotContain("trustStore");
        assertThat((String) at(sts, "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "scheme")).isEqualTo("HTTP");
        assertThat(((Map<?, ?>) at(sts, "spec", "template", "spec")).containsKey("initContainers")).isFalse();
        Map<String, Object> endpoint = at(render(sets("metrics.serviceMonitor.enabled", true)).one("ServiceMonitor"), "spec", "endpoints", 0);
        assertThat(endpoint).doesNotContainKey("scheme");
    }

    @Test
    void theApiServesHttpsFromAReloadingBundleMountedFromTheSecret() {
        Map<String, Object> sts = statefulSet(TLS);
        Map<String, String> env = env(sts);
        assertThat(bound(env, "server.ssl.bundle")).isEqualTo("api");
        assertThat(bound(env, "spring.ssl.bundle.pem.api.keystore.certificate")).isEqualTo("/etc/ratchet/tls/tls.crt");
        assertThat(bound(env, "spring.ssl.bundle.pem.api.keystore.private-key")).isEqualTo("/etc/ratchet/tls/tls.key");
        assertThat(bound(env, "spring.ssl.bundle.pem.api.reload-on-update")).isEqualTo("true");

        List<Map<String, Object>> volumes = at(sts, "spec", "template", "spec", "volumes");
        Map<String, Object> secretVolume = volumes.stream().filter(v -> "api-tls".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat((String) at(secretVolume, "secret", "secretName")).isEqualTo("api-tls");
        // No subPath: a subPath mount never sees the Secret's updates, so the bundle could not reload.
        List<Map<String, Object>> mounts = at(sts, "spec", "template", "spec", "containers", 0, "volumeMounts");
        Map<String, Object> mount = mounts.stream().filter(m -> "api-tls".equals(m.get("name"))).findFirst().orElseThrow();
        assertThat(mount).containsEntry("mountPath", "/etc/ratchet/tls").containsEntry("readOnly", true).doesNotContainKey("subPath");
    }

    @Test
    void everyUrlAndProbeSaysHttpsAndTheMembersTrustTheSecretsCa() {
        Map<String, Object> sts = statefulSet(TLS);
        Map<String, String> env = env(sts);
        assertThat(env.get("RATCHET_API_URL")).startsWith("https://");
        assertThat(env.get("RATCHET_JOIN_ADDRESSES").split(",")).allMatch(u -> u.startsWith("https://ratchet-"));
        // Fresh pods answer the bootstrap question over HTTPS too: pod-0 waits for every seed, as without TLS.
        assertThat(env.get("RATCHET_BOOTSTRAP_EXPECT")).isEqualTo("3");
        assertThat(env(statefulSet(sets("tls.existingSecret", "api-tls", "replicaCount", "1"))).get("RATCHET_BOOTSTRAP_EXPECT"))
                .isEqualTo("1");
        assertThat(env(statefulSet(sets("tls.existingSecret", "api-tls", "replicaCount", "5"))).get("RATCHET_BOOTSTRAP_EXPECT"))
                .as("the seeds, not the replicas").isEqualTo("3");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat((String) at(sts, "spec", "template", "spec", "containers", 0, probe, "httpGet", "scheme")).as(probe).isEqualTo("HTTPS");
        }
        Map<String, Object> init = at(sts, "spec", "template", "spec", "initContainers", 0);
        String script = String.join(" ", (List<String>) at(init, "args"));
        assertThat(script).contains("keytool -importcert", "-file /etc/ratchet/tls/ca.crt", "-keystore /tmp/tls/api-truststore.p12");
        assertThat(env.get("JAVA_OPTS")).contains("-Djavax.net.ssl.trustStore=/tmp/tls/api-truststore.p12",
                "-Djavax.net.ssl.trustStoreType=PKCS12");
        // The truststore is written to the /tmp volume the node container mounts too.
        List<Map<String, Object>> nodeMounts = at(sts, "spec", "template", "spec", "containers", 0, "volumeMounts");
        List<Map<String, Object>> initMounts = at(init, "volumeMounts");
        assertThat(initMounts).anyMatch(m -> "tmp".equals(m.get("name")) && "/tmp".equals(m.get("mountPath")));
        assertThat(nodeMounts).anyMatch(m -> "tmp".equals(m.get("name")) && "/tmp".equals(m.get("mountPath")));

        Map<String, Object> custom = statefulSet(sets("tls.existingSecret", "api-tls", "tls.caKey", "root.pem", "javaOpts", "-Xmx1g"));
        assertThat(String.join(" ", (List<String>) at(custom, "spec", "template", "spec", "initContainers", 0, "args")))
                .contains("-file /etc/ratchet/tls/root.pem");
        assertThat(env(custom).get("JAVA_OPTS")).startsWith("-Xmx1g -Djavax.net.ssl.trustStore=");
    }

    @Test
    void theServiceMonitorScrapesOverTlsCheckingTheServiceName() {
        Map<String, Object> endpoint = at(render(TLS).one("ServiceMonitor"), "spec", "endpoints", 0);
        assertThat(endpoint).containsEntry("scheme", "https");
        assertThat((String) at(endpoint, "tlsConfig", "ca", "secret", "name")).isEqualTo("api-tls");
        assertThat((String) at(endpoint, "tlsConfig", "ca", "secret", "key")).isEqualTo("ca.crt");
        assertThat((String) at(endpoint, "tlsConfig", "serverName")).isEqualTo("ratchet." + ChartRendering.NAMESPACE + ".svc");
    }

    @Test
    void theSchemaRefusesBadSecretNamesAndKeys() {
        assertThatThrownBy(() -> render(sets("tls.existingSecret", "Bad_Name"))).hasMessageContaining("existingSecret");
        assertThatThrownBy(() -> render(sets("tls.existingSecret", "api-tls", "tls.caKey", "../ca.crt"))).hasMessageContaining("caKey");
        assertThatThrownBy(() -> render(sets("tls.enabled", true))).hasMessageContaining("enabled");
    }
}
