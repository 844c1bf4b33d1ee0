package dev.ratchet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The parameter table of helm/ratchet/README.md names every value of values.yaml. A row's first
 * backticked name gives the prefix for shorthand names after it ({@code `persistence.size` / `.storageClass`}),
 * {@code {a,b}} lists alternatives, and a name also covers the values under it ({@code `resources`}).
 */
class ChartReadmeTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyValueHasARowInTheParameterTable() throws IOException {
        String readme = Files.readString(ChartRendering.CHART.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Parameters"));
        table = table.substring(0, table.indexOf("\n## ", 3) < 0 ? table.length() : table.indexOf("\n## ", 3));
        List<String> documented = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String first = null;
            Matcher m = CODE.matcher(line.substring(0, line.indexOf('|', 2)));
            while (m.find()) {
                String name = m.group(1).replace(".*", "");
                if (first == null) {
                    first = name;
                } else if (name.startsWith(".")) {
                    name = first.substring(0, first.lastIndexOf('.')) + name;
                }
                documented.addAll(expand(name));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) new Yaml(new LoaderOptions())
                .load(Files.readString(ChartRendering.CHART.resolve("values.yaml")));
        List<String> leaves = new ArrayList<>();
        collect("", values, leaves);
        assertThat(leaves).hasSizeGreaterThan(50);
        List<String> missing = leaves.stream().filter(leaf -> documented.stream()
                .noneMatch(d -> leaf.equals(d) || leaf.startsWith(d + "."))).toList();
        assertThat(missing).as("values without a row in helm/ratchet/README.md's parameter table").isEmpty();
    }

    private static List<String> expand(String name) {
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(name);
        if (!m.find()) {
            return List.of(name);
        }
        List<String> out = new ArrayList<>();
        for (String alt : m.group(1).split(",")) {
            out.addAll(expand(name.substring(0, m.start()) + alt + name.substring(m.end())));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> map, List<String> out) {
        map.forEach((k, v) -> {
            String path = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                collect(path, (Map<String, Object>) m, out);
            } else {
                out.add(path);
            }
        });
    }
}
