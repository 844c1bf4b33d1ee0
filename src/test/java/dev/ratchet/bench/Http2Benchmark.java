package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP/1.1 against HTTP/2 over cleartext (h2c, prior knowledge) for the API, measured with one tool for both:
 * nghttp2's {@code h2load}, {@code --h1} for HTTP/1.1. Each client keeps one connection and one request in
 * flight, as the closed-loop client of the matrix does; the cluster runs with {@code server.http2.enabled}.
 * Workloads: a 100-byte PUT to the leader, and a stale GET spread over every node (one h2load per node),
 * each protocol twice per client count in the order HTTP/1.1, h2c, h2c, HTTP/1.1.
 * Successes are counted on the servers (their {@code http_server_requests} timers), because h2load 1.52 does
 * not count an HTTP/1.1 response whose status line has no reason phrase, which is how Tomcat answers; the
 * rate is h2load's (requests done in the measured window). Blocks for every run; needs {@code h2load}
 * (Debian nghttp2-client) on the PATH.
 */
final class Http2Benchmark {

    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)s, ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: \\d+ total, \\d+ started, (\\d+) done");
    private static final Pattern REQUEST_TIME = Pattern.compile(
            "time for request:\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)");

    private final LocalCluster cluster;
    private final KvClient kv;
    private final Path work;

    Http2Benchmark(LocalCluster cluster, KvClient kv, Path work) {
        this.cluster = cluster;
        this.kv = kv;
        this.work = work;
    }

    /** The h2load binary, if installed. */
    static Optional<String> h2load() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "h2load");
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    ObjectNode run(String h2load, List<Integer> clientCounts, int warmupSeconds, int seconds) throws Exception {
        Files.createDirectories(work);
        Path value = work.resolve("value-100");
        Files.write(value, new byte[100]);
        NodeProcess leader = cluster.awaitLeader();
        // The key every GET reads, present on every node.
        // KvClient writes under /api/v1/kv/bench/.
        if (!kv.put(leader, "h2bench/read", new byte[100], java.time.Duration.ofSeconds(10))) {
            throw new IOException("could not write the key the reads read");
        }
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("tool", "h2load " + version(h2load));
        section.put("warmupSeconds", warmupSeconds);
        section.put("seconds", seconds);
        ArrayNode rows = section.putArray("rows");
        for (int clients : clientCounts) {
            // A-B-B-A: each protocol runs once early and once late, so warming up (or anything else that drifts
            // over the run) favours neither; the report averages the two.
            for (boolean h2 : new boolean[] {false, true, true, false}) {
                String protocol = h2 ? "h2c" : "http/1.1";
                ObjectNode put = measure(h2load, List.of(leader), "/api/v1/kv/bench/h2bench/w", value, h2, clients,
                        warmupSeconds, seconds);
                put.put("workload", "write").put("protocol", protocol).put("clients", clients);
                rows.add(put);
                ObjectNode get = measure(h2load, cluster.nodes(), "/api/v1/kv/bench/h2bench/read?stale=true", null, h2,
                        clients, warmupSeconds, seconds);
                get.put("workload", "read-stale-spread").put("protocol", protocol).put("clients", clients);
                rows.add(get);
                System.out.printf("[http2] %s %d clients: write %.0f/s, stale read spread %.0f/s%n", protocol, clients,
                        put.path("perSecond").asDouble(), get.path("perSecond").asDouble());
            }
        }
        return section;
    }

    /** One h2load per target node, run at once, the clients divided among them; the rates add up. */
    private ObjectNode measure(String h2load, List<NodeProcess> targets, String path, Path body, boolean h2,
            int clients, int warmupSeconds, int seconds) throws Exception {
        String method = body != null ? "PUT" : "GET";
        double[] before = served(targets, method);
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            int share = clients / targets.size() + (i < clients % targets.size() ? 1 : 0);
            if (share == 0) {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(h2load, "-c", Integer.toString(share), "-m", "1", "-t", "1",
                    "-D", Integer.toString(seconds), "--warm-up-time=" + warmupSeconds));
            if (!h2) {
                cmd.add("--h1");
            }
            if (body != null) {
                cmd.addAll(List.of("-d", body.toString(), "-H", ":method: PUT", "-H",
                        "content-type: application/octet-stream"));
            }
            cmd.add(targets.get(i).url(path).toString());
            Path out = work.resolve("h2load-" + processes.size() + ".txt");
            processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start());
            outputs.add(out);
        }
        double perSecond = 0;
        long done = 0;
        double meanMs = 0;
        double maxMs = 0;
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).waitFor(warmupSeconds + seconds + 60L, TimeUnit.SECONDS)) {
                processes.get(i).destroyForcibly();
                throw new IOException("h2load did not finish; see " + outputs.get(i));
            }
            String text = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            Matcher f = FINISHED.matcher(text);
            Matcher r = REQUESTS.matcher(text);
            Matcher t = REQUEST_TIME.matcher(text);
            if (!f.find() || !r.find() || !t.find()) {
                throw new IOException("unexpected h2load output in " + outputs.get(i) + ":\n" + text);
            }
            perSecond += Double.parseDouble(f.group(2));
            done += Long.parseLong(r.group(1));
            double mean = ms(t.group(5), t.group(6));
            meanMs += mean / processes.size();
            maxMs = Math.max(maxMs, ms(t.group(3), t.group(4)));
        }
        double[] after = served(targets, method);
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("perSecond", BenchmarkRow.round(perSecond, 1));
        row.put("done", done);
        // Warm-up included: every request the servers answered on this path during the run.
        row.put("serverAnswered", (long) (after[1] - before[1]));
        row.put("serverSucceeded", (long) (after[0] - before[0]));
        row.put("meanMs", BenchmarkRow.round(meanMs, 3));
        row.put("maxMs", BenchmarkRow.round(maxMs, 3));
        return row;
    }

    /** Requests to the KV path with this method the targets answered: {successful, all}. */
    private static double[] served(List<NodeProcess> targets, String method) {
        double ok = 0;
        double all = 0;
        for (NodeProcess n : targets) {
            String scrape = NodeMetrics.scrape(n).orElse("");
            String metric = "http_server_requests_seconds_count";
            String m = "method=\"" + method + "\"";
            String uri = "uri=\"/api/v1/kv/{*key}\"";
            all += NodeMetrics.sumIn(scrape, metric, m, uri).orElse(0);
            ok += NodeMetrics.sumIn(scrape, metric, m, uri, "outcome=\"SUCCESS\"").orElse(0);
        }
        return new double[] {ok, all};
    }

    private static double ms(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static String version(String h2load) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(h2load, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out.replace("h2load ", "");
    }
}
