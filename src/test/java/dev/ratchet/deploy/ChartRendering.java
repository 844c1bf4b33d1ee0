package dev.ratchet.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * helm/ratchet rendered by Helm's own engine (helm-java embeds Helm 3: values.schema.json, {@code fail},
 * {@code lookup} without a cluster), parsed into plain maps. Each call renders independently; the
 * native Helm library is not documented as thread-safe, so callers render from one thread.
 */
final class ChartRendering {

    static final Path CHART = NodeTools.ROOT.resolve("helm/ratchet");
    static final String RELEASE = "ratchet";
    static final String NAMESPACE = "store";
    /** Helm's template default is 1.20, older than the chart supports; render for a current cluster. */
    static final String KUBE_VERSION = "1.30.0";

    /** The rendered text and its documents. */
    record Rendered(String text, List<Map<String, Object>> documents) {

        List<Map<String, Object>> ofKind(String kind) {
            return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size() + " in:\n" + text);
            }
            return found.get(0);
        }

        List<String> kinds() {
            return documents.stream().map(d -> String.valueOf(d.get("kind"))).sorted().toList();
        }
    }

    /** Answers the chart's {@code lookup}s; lives as long as the test JVM. */
    static final FakeKubeApi API = startApi();

    private ChartRendering() {
    }

    private static FakeKubeApi startApi() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !kubeconfig.endsWith("test-kubeconfig.yaml")) {
            throw new IllegalStateException("KUBECONFIG must point at target/test-kubeconfig.yaml (pom.xml sets it"
                    + " for surefire) so chart tests never reach a real cluster; it is " + kubeconfig);
        }
        FakeKubeApi api = new FakeKubeApi();
        try {
            api.writeKubeconfig(Path.of(kubeconfig));
        } catch (java.io.IOException e) {
            api.close();
            throw new java.io.UncheckedIOException(e);
        }
        return api;
    }

    /** Tokens the tests give when a case does not choose its own (the chart refuses to invent them). */
    static final String TEST_JOIN_TOKEN = "test-join-token-0123456789";
    static final String TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

    /**
     * Renders with {@code --set key=value} pairs, in order, plus the test tokens unless the pairs say
     * where the tokens come from ({@code auth.existingSecret}, {@code auth.joinToken}, {@code auth.adminToken}).
     */
    static Rendered render(Map<String, Object> sets) {
        return renderExactly(withTokens(sets));
    }

    private static Map<String, Object> withTokens(Map<String, Object> sets) {
        if (sets.keySet().stream().anyMatch(k -> k.equals("auth.existingSecret") || k.equals("auth.joinToken")
                || k.equals("auth.adminToken"))) {
            return sets;
        }
        Map<String, Object> withTokens = new LinkedHashMap<>(sets);
        withTokens.put("auth.joinToken", TEST_JOIN_TOKEN);
        withTokens.put("auth.adminToken", TEST_ADMIN_TOKEN);
        return withTokens;
    }

    /** Renders with exactly these {@code --set} pairs. */
    static Rendered renderExactly(Map<String, Object> sets) {
        TemplateCommand t = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        sets.forEach(t::set);
        String text = t.call();
        return new Rendered(text, parse(text));
    }

    private static final String HOOK = "helm.sh/hook";
    private static final String PARKED_HOOK = "ratchet.test/parked-hook";

    /**
     * Like {@link #render(Map)}, hooks included: helm-java's template answers the release manifest, which
     * leaves hooks ({@code helm test} pods) out, so a copy of the chart is rendered in which the hook
     * annotation is renamed, and the name is put back in the text.
     */
    static Rendered renderWithHooks(Map<String, Object> sets) {
        Path copy;
        try {
            copy = java.nio.file.Files.createTempDirectory("ratchet-chart");
            try (var files = java.nio.file.Files.walk(CHART)) {
                for (Path from : files.toList()) {
                    Path to = copy.resolve(CHART.relativize(from).toString());
                    if (java.nio.file.Files.isDirectory(from)) {
                        java.nio.file.Files.createDirectories(to);
                    } else {
                        String text = java.nio.file.Files.readString(from);
                        java.nio.file.Files.writeString(to, from.toString().endsWith(".yaml")
                                ? text.replace(HOOK + ":", PARKED_HOOK + ":") : text);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TemplateCommand t = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        withTokens(sets).forEach(t::set);
        String text = t.call().replace(PARKED_HOOK + ":", HOOK + ":");
        return new Rendered(text, parse(text));
    }

    static Rendered render() {
        return render(Map.of());
    }

    static Map<String, Object> sets(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (o != null) {
                docs.add((Map<String, Object>) o);
            }
        }
        return docs;
    }

    /** Follows a path of map keys and list indexes, failing loudly on a missing step. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, Object... path) {
        Object cur = root;
        for (Object step : path) {
            if (step instanceof Integer i) {
                cur = ((List<Object>) cur).get(i);
            } else {
                Objects.requireNonNull(cur, "null before " + step);
                cur = ((Map<String, Object>) cur).get(step);
            }
            if (cur == null) {
                throw new AssertionError("no " + step + " in path " + List.of(path));
            }
        }
        return (T) cur;
    }

    /** The container's env as name → value (valueFrom entries map to "valueFrom:<secret key>"). */
    static Map<String, String> env(Map<String, Object> statefulSet) {
        List<Map<String, Object>> env = at(statefulSet, "spec", "template", "spec", "containers", 0, "env");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> e : env) {
            Object value = e.get("value");
            if (value == null) {
                Object key = ((Map<?, ?>) e.get("valueFrom")).get("secretKeyRef") instanceof Map<?, ?> ref
                        ? ref.get("name") + "/" + ref.get("key") : "fieldRef";
                value = "valueFrom:" + key;
            }
            out.put((String) e.get("name"), String.valueOf(value));
        }
        return out;
    }
}
