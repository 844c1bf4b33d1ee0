package dev.ratchet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Turns {@code ratchet.json} and (if present) {@code ratis.json} into {@code report.md}: per (nodes,
 * workload, value size) a table of operations/s and p50/p99/p99.9 for both systems by client count, with
 * the Ratchet/Ratis throughput ratio, then every other section of both files. Stateless.
 *
 * <p>Usage: {@code BenchmarkReport [ratchet.json [ratis.json [report.md]]]}.
 */
public final class BenchmarkReport {

    private static final String NONE = "—";

    private BenchmarkReport() {
    }

    public static void main(String[] argv) throws IOException {
        write(Path.of(argv.length > 0 ? argv[0] : "target/benchmarks/ratchet.json"),
                Path.of(argv.length > 1 ? argv[1] : "target/benchmarks/ratis.json"),
                Path.of(argv.length > 2 ? argv[2] : "target/benchmarks/report.md"));
    }

    /**
     * Reads both result files and writes the report.
     *
     * @throws IOException if the Ratchet results are missing or either file is not valid JSON
     */
    public static void write(Path ratchetFile, Path ratisFile, Path reportFile) throws IOException {
        if (!Files.exists(ratchetFile)) {
            throw new IOException(ratchetFile + " does not exist: run tools/bench.sh first");
        }
        JsonNode ratis = Files.exists(ratisFile) ? Json.read(ratisFile) : null;
        String md = render(Json.read(ratchetFile), ratis, ratis == null ? ratisFile + " not found" : null);
        Path parent = reportFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(reportFile, md);
    }

    /** The report's markdown; {@code ratis} may be null, then {@code ratisNote} says why. */
    public static String render(JsonNode ratchet, JsonNode ratis, String ratisNote) {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append(describe("Ratchet", ratchet));
        md.append(ratis == null ? "- Ratis: no results (" + ratisNote + ")\n" : describe("Ratis", ratis));
        List<BenchmarkRow> ours = rows(ratchet);
        List<BenchmarkRow> theirs = ratis == null ? List.of() : rows(ratis);
        Map<String, List<BenchmarkRow>> groups = new TreeMap<>();
        for (BenchmarkRow r : ours) {
            groups.computeIfAbsent(groupKey(r), k -> new ArrayList<>());
        }
        for (BenchmarkRow r : theirs) {
            groups.computeIfAbsent(groupKey(r), k -> new ArrayList<>());
        }
        for (String group : groups.keySet()) {
            md.append("\n## ").append(group.substring(group.indexOf('|') + 1)).append("\n\n");
            md.append("| clients | Ratchet ops/s | Ratis ops/s | Ratchet/Ratis | Ratchet p50 / p99 / p99.9 ms"
                    + " | Ratis p50 / p99 / p99.9 ms | Ratchet failed | Ratis failed |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            TreeSet<Integer> clients = new TreeSet<>();
            ours.stream().filter(r -> groupKey(r).equals(group)).forEach(r -> clients.add(r.clients()));
            theirs.stream().filter(r -> groupKey(r).equals(group)).forEach(r -> clients.add(r.clients()));
            for (int c : clients) {
                Optional<BenchmarkRow> a = find(ours, group, c);
                Optional<BenchmarkRow> b = find(theirs, group, c);
                md.append("| ").append(c)
                        .append(" | ").append(a.map(r -> fmt(r.perSecond(), 1)).orElse(NONE))
                        .append(" | ").append(b.map(r -> fmt(r.perSecond(), 1)).orElse(NONE))
                        .append(" | ").append(ratio(a, b))
                        .append(" | ").append(a.map(BenchmarkReport::latencies).orElse(NONE))
                        .append(" | ").append(b.map(BenchmarkReport::latencies).orElse(NONE))
                        .append(" | ").append(a.map(r -> Long.toString(r.failed())).orElse(NONE))
                        .append(" | ").append(b.map(r -> Long.toString(r.failed())).orElse(NONE))
                        .append(" |\n");
            }
        }
        md.append(ReportSections.render("Ratchet", ratchet));
        if (ratis != null) {
            md.append(ReportSections.render("Ratis", ratis));
        }
        return md.toString();
    }

    /** Ratchet's throughput over Ratis's, e.g. {@code 3.12×}, or a dash when either is missing or zero. */
    static String ratio(Optional<BenchmarkRow> ratchet, Optional<BenchmarkRow> ratis) {
        if (ratchet.isEmpty() || ratis.isEmpty() || ratis.get().perSecond() <= 0) {
            return NONE;
        }
        return fmt(ratchet.get().perSecond() / ratis.get().perSecond(), 2) + "×";
    }

    private static String describe(String name, JsonNode file) {
        JsonNode host = file.path("host");
        return "- " + name + ": started " + file.path("startedAt").asString("?") + ", " + host.path("cores").asInt()
                + " cores, Java " + host.path("java").asString("?") + "\n";
    }

    private static List<BenchmarkRow> rows(JsonNode file) {
        List<BenchmarkRow> out = new ArrayList<>();
        JsonNode rows = file.path("rows");
        if (!rows.isArray()) {
            throw new IllegalArgumentException("results of '" + file.path("system").asString("?")
                    + "' have no \"rows\" array");
        }
        rows.forEach(r -> out.add(BenchmarkRow.fromJson(r)));
        out.sort(Comparator.comparingInt(BenchmarkRow::clients));
        return out;
    }

    /** Sorts by nodes, workload, size; the part after '|' is the heading. */
    private static String groupKey(BenchmarkRow r) {
        int order = BenchmarkArgs.ALL_WORKLOAD_NAMES.indexOf(r.workload());
        return String.format(Locale.ROOT, "%02d-%02d-%s-%09d|%d nodes, %s, %d-byte values", r.nodes(),
                order < 0 ? 99 : order, r.workload(), r.valueBytes(), r.nodes(), r.workload(), r.valueBytes());
    }

    private static Optional<BenchmarkRow> find(List<BenchmarkRow> rows, String group, int clients) {
        // The last row wins if a file holds the same window twice.
        return rows.stream().filter(r -> groupKey(r).equals(group) && r.clients() == clients)
                .reduce((first, second) -> second);
    }

    private static String latencies(BenchmarkRow r) {
        return fmt(r.p50Ms(), 2) + " / " + fmt(r.p99Ms(), 2) + " / " + fmt(r.p999Ms(), 2);
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
