package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code slowdisk} part, the target "slow leader disk (+30 ms per fsync, as in the failover suite):
 * throughput ≥ 70% of the healthy run". On one warmed-up 3-node cluster, for each client count
 * ({@link BenchmarkArgs#slowDiskClients()}) and for writes to the leader and writes spread over every node,
 * 100-byte values: a healthy closed-loop window, then the same window with {@link PreloadedFsyncDelay} (or, with
 * {@code RATCHET_BENCH_FSYNC_INJECTION=strace}, {@link FsyncDelay}) adding {@value #FSYNC_DELAY_MS} ms to every
 * fsync/fdatasync of the leader's process, then the delay lifted. Each
 * window is preceded by {@value #SETTLE_SECONDS} s of the same load, unrecorded, so that both start from a
 * steady queue (and strace has attached to every thread before the slow one). Blocks for the part.
 *
 * <p>A leader change in either phase makes the pair meaningless (the slowed disk is no longer the leader's, or
 * the healthy figure included an election): it is recorded per row and the report does not judge that row.
 * The JSON goes under {@value #SECTION}; {@link #report} renders it for {@code report.md}.
 */
final class SlowDiskBenchmark {

    static final String SECTION = "slowdisk";
    static final int FSYNC_DELAY_MS = 30;
    /**
     * Overrides the delay: {@code RATCHET_BENCH_FSYNC_DELAY_MS=0} attaches strace without slowing fsync, a control
     * that measures what strace alone costs the leader.
     */
    static final String DELAY_ENV = "RATCHET_BENCH_FSYNC_DELAY_MS";
    static final double TARGET_RATIO = 0.70;
    static final int SETTLE_SECONDS = 5;
    private static final int VALUE_BYTES = 100;
    private static final List<Workload> WORKLOADS = List.of(Workload.WRITE, Workload.WRITE_SPREAD);

    private final LocalCluster cluster;
    private final BenchmarkArgs args;
    private final KvClient kv;
    private final LoadWindow<NodeProcess> load;
    private final ResultsFile results;
    private final int delayMs;
    private final PreloadedFsyncDelay preload;

    /** Who leads in which term, as the nodes say; {@code id} null if they do not agree on a leader. */
    private record Mark(String id, long term) {
        String describe() {
            return (id == null ? "none" : id) + " (term " + term + ")";
        }
    }

    /**
     * @param preload the preloaded delay the cluster's nodes were {@linkplain PreloadedFsyncDelay#prepare prepared}
     *     with, or null to attach strace to the leader instead
     */
    SlowDiskBenchmark(LocalCluster cluster, BenchmarkArgs args, KvClient kv, ResultsFile results,
            PreloadedFsyncDelay preload) {
        this.cluster = cluster;
        this.preload = preload;
        this.args = args;
        this.kv = kv;
        this.load = new LoadWindow<>(kv);
        this.results = results;
        String configured = System.getenv(DELAY_ENV);
        this.delayMs = configured == null || configured.isBlank() ? FSYNC_DELAY_MS : parseDelay(configured);
    }

    private static int parseDelay(String value) {
        try {
            int ms = Integer.parseInt(value.strip());
            if (ms >= 0 && ms <= 10_000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(DELAY_ENV + " must be a whole number of milliseconds in [0, 10000], not '"
                + value + "'");
    }

    /** Warms the cluster up as the matrix does, then measures every pair; the section is saved after each. */
    void run() throws Exception {
        new ClusterBenchmark(cluster, args, kv, results).warmUp();
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("fsyncDelayMs", delayMs);
        section.put("targetRatio", TARGET_RATIO);
        section.put("nodes", cluster.nodes().size());
        section.put("valueBytes", VALUE_BYTES);
        section.put("durationSeconds", args.durationSeconds());
        section.put("settleSeconds", SETTLE_SECONDS);
        section.put("injection", preload != null ? preload.describe()
                : "strace -f -e inject=fdatasync,fsync:delay_exit=" + delayMs * 1000L + " -p <leader pid>");
        ArrayNode rows = section.putArray("rows");
        int round = 0;
        for (int clients : args.slowDiskClients()) {
            for (Workload w : WORKLOADS) {
                ObjectNode row = once(w, clients, round++);
                System.out.println("[slowdisk] " + row);
                rows.add(row);
                results.section(SECTION, section);
            }
        }
    }

    private ObjectNode once(Workload w, int clients, int round) throws Exception {
        Duration window = Duration.ofSeconds(args.durationSeconds());
        Duration settle = Duration.ofSeconds(SETTLE_SECONDS);
        NodeProcess leader = cluster.awaitLeader();
        Mark start = new Mark(leader.id(), term(leader));
        // The write workload's clients stay on this node even if leadership moves: they are then forwarded.
        List<NodeProcess> targets = w.spread() ? cluster.nodes() : List.of(leader);
        System.out.printf("[slowdisk] %s, %d clients, leader %s: healthy%n", w.jsonName(), clients, start.describe());
        load.run(w, targets, clients, VALUE_BYTES, settle, 0);
        SyncMean healthySync = SyncMean.start(leader);
        LoadWindow.Result healthy = load.run(w, targets, clients, VALUE_BYTES, window, 0);
        double healthySyncMs = healthySync.finishMs();
        // Slow whoever leads now, so a change during the healthy window is recorded rather than slowing a follower.
        NodeProcess slowed = cluster.awaitLeader();
        Mark before = new Mark(slowed.id(), term(slowed));
        LoadWindow.Result slow;
        Mark after;
        double slowSyncMs;
        System.out.printf("[slowdisk] %s, %d clients: +%d ms per fsync on %s (pid %d)%n", w.jsonName(), clients,
                delayMs, slowed.id(), slowed.pid());
        try (AutoCloseable delay = preload != null ? preload.slow(slowed, delayMs)
                : FsyncDelay.attach(slowed.pid(), delayMs, cluster.root().resolve("strace-" + round + ".log"))) {
            LoadWindow.Result settling = load.run(w, targets, clients, VALUE_BYTES, settle, 0);
            System.out.printf("[slowdisk] settling with the slow disk: %.0f ops/s%n", settling.perSecond());
            SyncMean slowSync = SyncMean.start(slowed);
            slow = load.run(w, targets, clients, VALUE_BYTES, window, 0);
            slowSyncMs = slowSync.finishMs();
            after = mark(); // before the delay is lifted: the slow phase's own outcome
        }
        ObjectNode row = row(w, clients, healthy, slow, start, before, after);
        // Evidence that the delay took: the leader's own mean WAL sync (append + fsync) in each window.
        putMs(row, "healthyLeaderSyncMs", healthySyncMs);
        putMs(row, "slowLeaderSyncMs", slowSyncMs);
        return row;
    }

    private ObjectNode row(Workload w, int clients, LoadWindow.Result healthy, LoadWindow.Result slow, Mark start,
            Mark before, Mark after) {
        BenchmarkRow h = BenchmarkRow.of("ratchet", cluster.nodes().size(), w.jsonName(), VALUE_BYTES, clients,
                healthy.seconds(), healthy.ok(), healthy.failed(), healthy.micros());
        BenchmarkRow s = BenchmarkRow.of("ratchet", cluster.nodes().size(), w.jsonName(), VALUE_BYTES, clients,
                slow.seconds(), slow.ok(), slow.failed(), slow.micros());
        boolean changedBefore = !start.equals(before);
        boolean changed = after.id() == null || !Objects.equals(before, after);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("workload", w.jsonName());
        o.put("clients", clients);
        o.put("leader", before.id());
        o.put("term", before.term());
        o.put("healthyPerSecond", h.perSecond());
        o.put("healthyP50Ms", h.p50Ms());
        o.put("healthyP99Ms", h.p99Ms());
        o.put("healthyFailed", h.failed());
        o.put("slowPerSecond", s.perSecond());
        o.put("slowP50Ms", s.p50Ms());
        o.put("slowP99Ms", s.p99Ms());
        o.put("slowFailed", s.failed());
        if (h.perSecond() > 0) {
            o.put("ratio", BenchmarkRow.round(s.perSecond() / h.perSecond(), 3));
        } else {
            o.putNull("ratio");
        }
        o.put("leaderChangedBeforeSlow", changedBefore);
        o.put("leaderChanged", changed);
        o.put("leaderAfter", after.id());
        o.put("termAfter", after.term());
        if (changed || changedBefore || h.perSecond() <= 0) {
            o.putNull("meetsTarget"); // not a measurement of the target
        } else {
            o.put("meetsTarget", s.perSecond() / h.perSecond() >= TARGET_RATIO);
        }
        return o;
    }

    private static void putMs(ObjectNode row, String field, double ms) {
        if (Double.isNaN(ms)) {
            row.putNull(field);
        } else {
            row.put(field, ms);
        }
    }

    /** The mean of a node's {@code ratchet.raft.append.sync} timer over a window; NaN if it cannot be read. */
    private record SyncMean(NodeProcess node, double count, double sum) {
        private static final String TIMER = "ratchet_raft_append_sync_seconds";

        static SyncMean start(NodeProcess node) {
            String scrape = NodeMetrics.scrape(node).orElse("");
            return new SyncMean(node, read(scrape, "_count"), read(scrape, "_sum"));
        }

        double finishMs() {
            String scrape = NodeMetrics.scrape(node).orElse("");
            double n = read(scrape, "_count") - count;
            return n > 0 ? BenchmarkRow.round((read(scrape, "_sum") - sum) / n * 1000, 3) : Double.NaN;
        }

        private static double read(String scrape, String suffix) {
            return NodeMetrics.sumIn(scrape, TIMER + suffix, "").orElse(Double.NaN);
        }
    }

    private Mark mark() {
        Optional<NodeProcess> leader = cluster.leader();
        return new Mark(leader.map(NodeProcess::id).orElse(null), leader.map(SlowDiskBenchmark::term).orElse(-1L));
    }

    private static long term(NodeProcess node) {
        return KvClient.view(node).map(KvClient.RaftView::term).orElse(-1L);
    }

    /**
     * The report's section for a results file's {@value #SECTION} object: per row both rates, the ratio against
     * the target, both latencies and the leader; empty if the file has none.
     */
    static String report(JsonNode file) {
        JsonNode s = file.path(SECTION);
        if (!s.isObject() || !s.path("rows").isArray()) {
            return "";
        }
        int delay = s.path("fsyncDelayMs").asInt(FSYNC_DELAY_MS);
        double target = s.path("targetRatio").asDouble(TARGET_RATIO);
        String pct = percent(target);
        StringBuilder md = new StringBuilder("\n## Slow leader disk (+" + delay + " ms per fsync)\n\n");
        md.append("Target: throughput with +").append(delay).append(" ms per fsync/fdatasync of the leader ≥ ").append(pct)
                .append(" of the healthy run. ").append(s.path("nodes").asInt()).append(" nodes, ")
                .append(s.path("valueBytes").asInt()).append("-byte values, ").append(s.path("durationSeconds").asInt())
                .append("-s windows each after ").append(s.path("settleSeconds").asInt())
                .append(" s of the same load; the delay is injected with `").append(s.path("injection").asString("strace"))
                .append(s.path("injection").asString("strace").startsWith("strace")
                        ? "`. Attached that way strace stops the leader at every system call, not only fsync, so the slow"
                                + " figure also carries strace's overhead: a pessimistic bound.\n\n"
                        : "`: the library sleeps after each real fsync/fdatasync and touches nothing else.\n\n");
        md.append("| workload | clients | healthy ops/s | slow ops/s | slow/healthy | ≥ ").append(pct)
                .append(" | healthy p50 / p99 ms | slow p50 / p99 ms | leader's mean sync healthy / slow ms")
                .append(" | failed healthy / slow | leader |\n")
                .append("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
        int judged = 0;
        int met = 0;
        boolean anyChange = false;
        for (JsonNode r : s.path("rows")) {
            boolean changed = r.path("leaderChanged").asBoolean(false) || r.path("leaderChangedBeforeSlow").asBoolean(false);
            anyChange |= changed;
            JsonNode meets = r.path("meetsTarget");
            String verdict = meets.isBoolean() ? (meets.asBoolean() ? "met" : "**not met**")
                    : changed ? "not judged: leader changed" : "not judged";
            if (meets.isBoolean()) {
                judged++;
                met += meets.asBoolean() ? 1 : 0;
            }
            JsonNode ratio = r.path("ratio");
            md.append("| ").append(r.path("workload").asString()).append(" | ").append(r.path("clients").asInt())
                    .append(" | ").append(BenchmarkReport.fmt(r.path("healthyPerSecond").asDouble(), 1))
                    .append(" | ").append(BenchmarkReport.fmt(r.path("slowPerSecond").asDouble(), 1))
                    .append(" | ").append(ratio.isNumber() ? percent(ratio.asDouble()) : "—")
                    .append(" | ").append(verdict)
                    .append(" | ").append(ms(r, "healthyP50Ms")).append(" / ").append(ms(r, "healthyP99Ms"))
                    .append(" | ").append(ms(r, "slowP50Ms")).append(" / ").append(ms(r, "slowP99Ms"))
                    .append(" | ").append(ms(r, "healthyLeaderSyncMs")).append(" / ").append(ms(r, "slowLeaderSyncMs"))
                    .append(" | ").append(r.path("healthyFailed").asLong()).append(" / ").append(r.path("slowFailed").asLong())
                    .append(" | ").append(leader(r)).append(" |\n");
        }
        md.append("\nTarget met in ").append(met).append(" of ").append(judged).append(" judged rows.");
        if (anyChange) {
            md.append(" A row whose leader changed is not judged: the slowed disk was no longer the leader's for part")
                    .append(" of the window (or the healthy figure included an election), so its ratio says nothing")
                    .append(" about the target; run it again.");
        }
        return md.append('\n').toString();
    }

    private static String leader(JsonNode r) {
        String before = r.path("leader").asString("?");
        String after = r.path("leaderAfter").isNull() ? "none" : r.path("leaderAfter").asString("?");
        long term = r.path("term").asLong();
        long termAfter = r.path("termAfter").asLong();
        String changedBefore = r.path("leaderChangedBeforeSlow").asBoolean(false) ? " (changed in the healthy window)" : "";
        if (before.equals(after) && term == termAfter) {
            return before + " (term " + term + ")" + changedBefore;
        }
        return "**changed**: " + before + " → " + after + " (term " + term + " → " + termAfter + ")" + changedBefore;
    }

    private static String ms(JsonNode r, String field) {
        return r.path(field).isNumber() ? BenchmarkReport.fmt(r.path(field).asDouble(), 2) : "—";
    }

    private static String percent(double ratio) {
        return BenchmarkReport.fmt(ratio * 100, 0) + "%";
    }
}
