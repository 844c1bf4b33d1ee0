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

    /** Renders with {@code --set key=value} pairs, in order. */
    static Rendered render(Map<String, Object> sets) {
        TemplateCommand t = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        sets.forEach(t::set);
        String text = t.call();
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
