package dev.ratchet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Turns {@code ratchet.json} and (where present) the reference peers' files, {@code etcd.json} and
 * {@code ratis.json}, into {@code report.md}: per (nodes, workload, value size) a table of operations/s and
 * p50/p99/p99.9 of every system by client count, with Ratchet's throughput over each peer's, then Ratchet's
 * slow-leader-disk section against its target ({@link SlowDiskBenchmark#report}), then every other section of
 * every file. Stateless.
 *
 * <p>Usage: {@code BenchmarkReport [ratchet.json [ratis.json [report.md [etcd.json]]]]}.
 */
public final class BenchmarkReport {

    private static final String NONE = "—";

    /** A reference system's results ({@code file} null when it has none; {@code note} then says why). */
    public record Peer(String name, JsonNode file, String note) {
    }

    private BenchmarkReport() {
    }

    public static void main(String[] argv) throws IOException {
        write(Path.of(argv.length > 0 ? argv[0] : "target/benchmarks/ratchet.json"),
                Path.of(argv.length > 1 ? argv[1] : "target/benchmarks/ratis.json"),
                Path.of(argv.length > 3 ? argv[3] : "target/benchmarks/etcd.json"),
                Path.of(argv.length > 2 ? argv[2] : "target/benchmarks/report.md"));
    }

    /**
     * Reads the result files and writes the report; a missing peer file is noted in the report.
     *
     * @throws IOException if the Ratchet results are missing or a file is not valid JSON
     */
    public static void write(Path ratchetFile, Path ratisFile, Path etcdFile, Path reportFile) throws IOException {
        if (!Files.exists(ratchetFile)) {
            throw new IOException(ratchetFile + " does not exist: run tools/bench.sh first");
        }
        List<Peer> peers = List.of(peer("etcd", etcdFile), peer("Ratis", ratisFile));
        String md = render(Json.read(ratchetFile), peers);
        Path parent = reportFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(reportFile, md);
    }

    private static Peer peer(String name, Path file) throws IOException {
        return Files.exists(file) ? new Peer(name, Json.read(file), null) : new Peer(name, null, file + " not found");
    }

    /** The report's markdown: Ratchet against each peer, in the order given. */
    public static String render(JsonNode ratchet, List<Peer> peers) {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append(describe("Ratchet", ratchet));
        List<List<BenchmarkRow>> theirs = new ArrayList<>();
        for (Peer p : peers) {
            md.append(p.file() == null ? "- " + p.name() + ": no results (" + p.note() + ")\n" : describe(p.name(), p.file()));
            theirs.add(p.file() == null ? List.of() : rows(p.file()));
        }
        List<BenchmarkRow> ours = rows(ratchet);
        TreeSet<String> groups = new TreeSet<>();
        ours.forEach(r -> groups.add(groupKey(r)));
        theirs.forEach(rs -> rs.forEach(r -> groups.add(groupKey(r))));
        for (String group : groups) {
            md.append("\n## ").append(group.substring(group.indexOf('|') + 1)).append("\n\n");
            StringBuilder head = new StringBuilder("| clients | Ratchet ops/s");
            StringBuilder rule = new StringBuilder("|---:|---:");
            for (Peer p : peers) {
                head.append(" | ").append(p.name()).append(" ops/s | Ratchet/").append(p.name());
                rule.append("|---:|---:");
            }
            head.append(" | Ratchet p50 / p99 / p99.9 ms");
            rule.append("|---:");
            for (Peer p : peers) {
                head.append(" | ").append(p.name()).append(" p50 / p99 / p99.9 ms");
                rule.append("|---:");
            }
            head.append(" | Ratchet server CPU µs/op");
            rule.append("|---:");
            for (Peer p : peers) {
                head.append(" | ").append(p.name()).append(" server CPU µs/op");
                rule.append("|---:");
            }
            head.append(" | Ratchet failed");
            rule.append("|---:");
            for (Peer p : peers) {
                head.append(" | ").append(p.name()).append(" failed");
                rule.append("|---:");
            }
            md.append(head).append(" |\n").append(rule).append("|\n");
            TreeSet<Integer> clients = new TreeSet<>();
            ours.stream().filter(r -> groupKey(r).equals(group)).forEach(r -> clients.add(r.clients()));
            theirs.forEach(rs -> rs.stream().filter(r -> groupKey(r).equals(group)).forEach(r -> clients.add(r.clients())));
            for (int c : clients) {
                Optional<BenchmarkRow> a = find(ours, group, c);
                List<Optional<BenchmarkRow>> b = theirs.stream().map(rs -> find(rs, group, c)).toList();
                md.append("| ").append(c).append(" | ").append(a.map(r -> fmt(r.perSecond(), 1)).orElse(NONE));
                for (Optional<BenchmarkRow> x : b) {
                    md.append(" | ").append(x.map(r -> fmt(r.perSecond(), 1)).orElse(NONE)).append(" | ").append(ratio(a, x));
                }
                md.append(" | ").append(a.map(BenchmarkReport::latencies).orElse(NONE));
                for (Optional<BenchmarkRow> x : b) {
                    md.append(" | ").append(x.map(BenchmarkReport::latencies).orElse(NONE));
                }
                md.append(" | ").append(a.map(BenchmarkReport::cpu).orElse(NONE));
                for (Optional<BenchmarkRow> x : b) {
                    md.append(" | ").append(x.map(BenchmarkReport::cpu).orElse(NONE));
                }
                md.append(" | ").append(a.map(r -> Long.toString(r.failed())).orElse(NONE));
                for (Optional<BenchmarkRow> x : b) {
                    md.append(" | ").append(x.map(r -> Long.toString(r.failed())).orElse(NONE));
                }
                md.append(" |\n");
            }
        }
        md.append(SlowDiskBenchmark.report(ratchet));
        md.append(ReportSections.render("Ratchet", ratchet));
        for (Peer p : peers) {
            if (p.file() != null) {
                md.append(ReportSections.render(p.name(), p.file()));
            }
        }
        return md.toString();
    }

    /** Ratchet's throughput over a peer's, e.g. {@code 3.12×}, or a dash when either is missing or zero. */
    static String ratio(Optional<BenchmarkRow> ratchet, Optional<BenchmarkRow> peer) {
        if (ratchet.isEmpty() || peer.isEmpty() || peer.get().perSecond() <= 0) {
            return NONE;
        }
        return fmt(ratchet.get().perSecond() / peer.get().perSecond(), 2) + "×";
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

    private static String cpu(BenchmarkRow r) {
        return r.serverCpuUsPerOp() > 0 ? fmt(r.serverCpuUsPerOp(), 0) : NONE;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
