package dev.ratchet.bench;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Renders the parts of a results file other than the load rows ("failover", "rejoin", ...) as markdown,
 * without knowing their fields: scalars as bullets, nested objects as nested bullets, arrays of objects
 * as tables, arrays of scalars as one comma-separated line. Stateless.
 */
final class ReportSections {

    /** Not sections, or sections with a renderer of their own ({@link SlowDiskBenchmark#report}). */
    private static final Set<String> SKIPPED = Set.of("system", "host", "startedAt", "rows", SlowDiskBenchmark.SECTION);

    private ReportSections() {
    }

    static String render(String system, JsonNode file) {
        StringBuilder md = new StringBuilder();
        for (Map.Entry<String, JsonNode> section : file.properties()) {
            if (SKIPPED.contains(section.getKey())) {
                continue;
            }
            md.append("\n## ").append(system).append(": ").append(section.getKey()).append("\n\n");
            body(md, section.getValue(), "");
        }
        return md.toString();
    }

    private static void body(StringBuilder md, JsonNode node, String indent) {
        if (!node.isObject()) {
            md.append(indent).append("- ").append(scalar(node)).append('\n');
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject() && allScalars(v)) {
                StringBuilder inline = new StringBuilder();
                v.properties().forEach(x -> inline.append(inline.length() == 0 ? "" : ", ").append(x.getKey())
                        .append('=').append(scalar(x.getValue())));
                md.append(indent).append("- ").append(e.getKey()).append(": ").append(inline).append('\n');
            } else if (v.isObject()) {
                md.append(indent).append("- ").append(e.getKey()).append(":\n");
                body(md, v, indent + "  ");
            } else if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
                md.append(indent).append("- ").append(e.getKey()).append(":\n\n");
                table(md, v);
                md.append('\n');
            } else if (v.isArray()) {
                StringBuilder joined = new StringBuilder();
                v.forEach(x -> joined.append(joined.length() == 0 ? "" : ", ").append(scalar(x)));
                md.append(indent).append("- ").append(e.getKey()).append(": ").append(joined).append('\n');
            } else {
                md.append(indent).append("- ").append(e.getKey()).append(": ").append(scalar(v)).append('\n');
            }
        }
    }

    private static boolean allScalars(JsonNode object) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getValue().isContainer()) {
                return false;
            }
        }
        return true;
    }

    private static void table(StringBuilder md, JsonNode array) {
        Set<String> columns = new LinkedHashSet<>();
        array.forEach(row -> row.properties().forEach(e -> columns.add(e.getKey())));
        md.append("| ").append(String.join(" | ", columns)).append(" |\n|");
        columns.forEach(c -> md.append("---|"));
        md.append('\n');
        for (JsonNode row : array) {
            md.append('|');
            for (String c : columns) {
                JsonNode v = row.get(c);
                md.append(' ').append(v == null ? "" : v.isContainer() ? v.toString() : scalar(v)).append(" |");
            }
            md.append('\n');
        }
    }

    private static String scalar(JsonNode v) {
        if (v == null || v.isNull()) {
            return "—";
        }
        return v.isString() ? v.asString() : v.toString();
    }
}
