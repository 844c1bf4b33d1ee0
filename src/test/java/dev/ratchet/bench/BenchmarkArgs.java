package dev.ratchet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's {@code key=value} arguments, checked up front so a typo fails in a second with a message
 * naming the argument instead of after a 2-minute warm-up. Immutable; {@link #parse} throws
 * {@link IllegalArgumentException} for an unknown key, a missing {@code =}, a repeated key, a value that is not
 * a number in range, an empty list, or an unknown part / workload. {@code slowDiskClients} is the client counts of
 * the {@code slowdisk} part: {@code clients=} if given, else {@value #SLOW_DISK_CLIENTS} (the matrix's default runs
 * five counts, and each slow-disk count costs two windows plus strace's settling).
 */
public record BenchmarkArgs(Set<String> parts, List<Integer> nodes, List<Integer> sizes, List<Integer> clients,
        List<Workload> workloads, int warmupSeconds, int durationSeconds, int failoverKills, int failoverWriters,
        List<Integer> rejoinMissed, int rootLifeSeconds, int keys, int memoryClients, int startupSamples, int stabilitySeconds,
        int watchers, int watchRate, Path out, Path ratis, Path etcd, Path report, List<Integer> slowDiskClients) {

    /**
     * The parts run when {@code parts=} is not given, in the order they run. {@code slowdisk} is left out: the
     * default run already takes hours, and it needs strace with ptrace permission, which would make the
     * whole default run fail on a machine without them; it runs only when named.
     */
    public static final List<String> DEFAULT_PARTS = List.of("etcd", "disk", "matrix", "stability", "failover", "startup",
            "watch", "txn", "memory", "rejoin");
    /** The {@code slowdisk} part's client counts when {@code clients=} is not given. */
    public static final String SLOW_DISK_CLIENTS = "16,64";
    /** The workloads' result-row names, in report order. */
    public static final List<String> ALL_WORKLOAD_NAMES = List.of("write", "write-spread", "read-linearizable",
            "read-linearizable-spread", "read-stale");
    private static final Set<String> KNOWN_PARTS = new LinkedHashSet<>(List.of("etcd", "disk", "matrix", "stability",
            "failover", "startup", "watch", "txn", "memory", "rejoin", "slowdisk", "http2", "report"));
    private static final int MAX_CLIENTS = 1024;
    private static final int MAX_SECONDS = 24 * 3600;

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("parts", String.join(",", DEFAULT_PARTS));
        d.put("nodes", "3,5");
        d.put("sizes", "100,4096");
        d.put("clients", "1,16,32,64,256");
        d.put("workloads", String.join(",", ALL_WORKLOAD_NAMES));
        d.put("warmup", "120");
        d.put("duration", "30");
        d.put("failover", "20");
        d.put("writers", "4");
        d.put("rejoin", "1,2,4");
        d.put("root-life", "60");
        d.put("keys", "1000000");
        d.put("memory-clients", "64");
        d.put("startups", "3");
        d.put("stability", "600");
        d.put("watchers", "1000");
        d.put("watch-rate", "100");
        d.put("out", "target/benchmarks/ratchet.json");
        d.put("ratis", "target/benchmarks/ratis.json");
        d.put("etcd", "target/benchmarks/etcd.json");
        d.put("report", "target/benchmarks/report.md");
        return d;
    }

    /** The arguments as given on the command line; a bare {@code report} means {@code parts=report}. */
    public static BenchmarkArgs parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String a : args) {
            String arg = a.strip();
            if (arg.equals("report")) {
                arg = "parts=report";
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value; known keys: "
                        + DEFAULTS.keySet());
            }
            String key = arg.substring(0, eq).strip();
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "'; known keys: " + DEFAULTS.keySet());
            }
            if (given.put(key, arg.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("argument '" + key + "' given twice");
            }
        }
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        v.putAll(given);
        Set<String> parts = new LinkedHashSet<>();
        for (String p : list("parts", v.get("parts"))) {
            if (!KNOWN_PARTS.contains(p)) {
                throw new IllegalArgumentException("parts: unknown part '" + p + "'; known: " + KNOWN_PARTS);
            }
            parts.add(p);
        }
        List<Workload> workloads = new ArrayList<>();
        for (String w : list("workloads", v.get("workloads"))) {
            workloads.add(Workload.named(w));
        }
        return new BenchmarkArgs(Set.copyOf(parts), ints("nodes", v, 1, 9), ints("sizes", v, 1, 1 << 20),
                ints("clients", v, 1, MAX_CLIENTS), List.copyOf(workloads), integer("warmup", v, 0, MAX_SECONDS),
                integer("duration", v, 1, MAX_SECONDS), integer("failover", v, 0, 1000),
                integer("writers", v, 1, 64), ints("rejoin", v, 1, 20),
                integer("root-life", v, 6, 3600), integer("keys", v, 1, 100_000_000),
                integer("memory-clients", v, 1, MAX_CLIENTS), integer("startups", v, 0, 100),
                integer("stability", v, 0, MAX_SECONDS), integer("watchers", v, 1, 9000),
                integer("watch-rate", v, 1, 10_000), Path.of(v.get("out")), Path.of(v.get("ratis")),
                Path.of(v.get("etcd")), Path.of(v.get("report")),
                ints("clients", given.containsKey("clients") ? v : Map.of("clients", SLOW_DISK_CLIENTS), 1, MAX_CLIENTS));
    }

    /** True if {@code part} was selected. */
    public boolean runs(String part) {
        return parts.contains(part);
    }

    private static List<String> list(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            if (s.isBlank()) {
                throw new IllegalArgumentException(key + ": empty element in '" + value + "'");
            }
            out.add(s.strip());
        }
        return out;
    }

    private static List<Integer> ints(String key, Map<String, String> v, int min, int max) {
        List<Integer> out = new ArrayList<>();
        for (String s : list(key, v.get(key))) {
            int n = number(key, s, min, max);
            if (out.contains(n)) {
                throw new IllegalArgumentException(key + ": " + n + " listed twice");
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    private static int integer(String key, Map<String, String> v, int min, int max) {
        return number(key, v.get(key), min, max);
    }

    private static int number(String key, String s, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + s + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
    }
}
