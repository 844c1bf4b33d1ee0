package dev.ratchet.bench;

import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads a node's numbers from outside: Prometheus samples from {@code /actuator/prometheus} (public, no
 * admin credentials), and the OS process's resident memory from {@code /proc}. Stateless; every call blocks
 * on one HTTP request or file read.
 */
final class NodeMetrics {

    private NodeMetrics() {
    }

    /**
     * The sum of every sample of a metric (over its tags) whose labels contain {@code labelFilter} (or all
     * samples for an empty filter); empty if the node does not answer or has no such metric.
     */
    static OptionalDouble sum(NodeProcess node, String metric, String labelFilter) {
        return scrape(node).map(body -> sumIn(body, metric, labelFilter)).orElse(OptionalDouble.empty());
    }

    /** The node's whole {@code /actuator/prometheus} text; empty if it does not answer with 200. */
    static Optional<String> scrape(NodeProcess node) {
        try {
            var r = node.get("/actuator/prometheus");
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@link #sum} over a scrape's text; a sample counts if its labels contain every one of the filters. */
    static OptionalDouble sumIn(String scrape, String metric, String... labelFilters) {
        double total = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            if (!(rest.startsWith("{") || rest.startsWith(" "))) {
                continue; // a longer name with the same prefix
            }
            String labels = rest.startsWith("{") ? rest.substring(0, rest.indexOf('}') + 1) : "";
            if (!java.util.Arrays.stream(labelFilters).allMatch(labels::contains)) {
                continue;
            }
            String[] parts = rest.substring(labels.length()).strip().split("\\s+");
            total += Double.parseDouble(parts[0]);
            found = true;
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** The values of {@code label} on a metric's samples, in the order the scrape lists them (duplicates kept out). */
    static List<String> labelValues(String scrape, String metric, String label) {
        List<String> values = new java.util.ArrayList<>();
        String marker = label + "=\"";
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            int at = line.indexOf(marker);
            if (at > 0 && at < line.indexOf('}')) {
                String v = line.substring(at + marker.length(), line.indexOf('"', at + marker.length()));
                if (!values.contains(v)) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    /** The sum of a metric over the live nodes (missing ones count 0). */
    static double sumOver(List<NodeProcess> nodes, String metric) {
        double total = 0;
        for (NodeProcess n : nodes) {
            total += sum(n, metric, "").orElse(0);
        }
        return total;
    }

    /**
     * The OS process id of a running node: the child process of this JVM whose command line holds the
     * node's (unique) data directory. Reads {@code /proc} because {@code ProcessHandle.Info.arguments()}
     * comes back empty for command lines as long as a test class path.
     */
    static Optional<Long> pid(NodeProcess node) {
        String marker = "--ratchet.data-dir=" + node.dataDir();
        return ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .filter(pid -> commandLine(pid).contains(marker)).findFirst();
    }

    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Resident set size in bytes (VmRSS in /proc/<pid>/status), if the process exists. */
    static Optional<Long> rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).strip().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
