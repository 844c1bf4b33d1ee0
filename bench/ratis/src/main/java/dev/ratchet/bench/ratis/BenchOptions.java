package dev.ratchet.bench.ratis;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's {@code key=value} arguments with their defaults; an unknown key or a bad value is an
 * {@link IllegalArgumentException} naming it. Immutable.
 */
record BenchOptions(int nodes, List<Integer> clients, List<Integer> sizes, List<Workload> workloads, int warmupSeconds,
        int durationSeconds, Path out, Path runDir, String readOption, List<String> peerJvm, int raftClients,
        int clientAttempts, boolean keepData) {

    static final int MAX_CLIENTS = 1024;
    static final int MAX_VALUE_BYTES = 64 * 1024;
    static final int MAX_SECONDS = 3600;
    static final int MAX_ATTEMPTS = 1000;

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("nodes", "3");
        d.put("clients", "1,16,32,64,256");
        d.put("sizes", "100,4096");
        d.put("workloads", "write,read-linearizable,read-stale");
        d.put("warmup", "120");
        d.put("duration", "30");
        d.put("out", "target/benchmarks/ratis.json");
        d.put("runDir", "target/ratis-bench/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        d.put("readOption", "LINEARIZABLE");
        d.put("peerJvm", "-Xmx1g -XX:+ExitOnOutOfMemoryError");
        d.put("raftClients", "1");
        d.put("clientAttempts", "100");
        d.put("keepData", "false");
        return d;
    }

    /** The accepted keys and their defaults, for the usage text. */
    static Map<String, String> defaultsForUsage() {
        return DEFAULTS;
    }

    static BenchOptions parse(String... args) {
        Map<String, String> opts = new LinkedHashMap<>(DEFAULTS);
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !DEFAULTS.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; accepted keys: " + DEFAULTS.keySet());
            }
            opts.put(kv[0], kv[1]);
        }
        String readOption = opts.get("readOption").strip().toUpperCase(java.util.Locale.ROOT);
        if (!readOption.equals("LINEARIZABLE") && !readOption.equals("DEFAULT")) {
            throw new IllegalArgumentException("readOption must be LINEARIZABLE or DEFAULT, got " + readOption);
        }
        List<Workload> workloads = new ArrayList<>();
        for (String w : opts.get("workloads").split(",")) {
            workloads.add(Workload.parse(w));
        }
        String keep = opts.get("keepData").strip();
        if (!keep.equals("true") && !keep.equals("false")) {
            throw new IllegalArgumentException("keepData must be true or false, got " + keep);
        }
        return new BenchOptions(intIn(opts, "nodes", 1, ClusterLayout.MAX_NODES),
                intsIn(opts, "clients", 1, MAX_CLIENTS), intsIn(opts, "sizes", 1, MAX_VALUE_BYTES), List.copyOf(workloads),
                intIn(opts, "warmup", 0, MAX_SECONDS), intIn(opts, "duration", 1, MAX_SECONDS), Path.of(opts.get("out")),
                Path.of(opts.get("runDir")), readOption,
                Arrays.stream(opts.get("peerJvm").strip().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                intIn(opts, "raftClients", 1, MAX_CLIENTS), intIn(opts, "clientAttempts", 1, MAX_ATTEMPTS), Boolean.parseBoolean(keep));
    }

    private static int intIn(Map<String, String> opts, String key, int min, int max) {
        String text = opts.get(key).strip();
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static List<Integer> intsIn(Map<String, String> opts, String key, int min, int max) {
        List<Integer> values = new ArrayList<>();
        for (String part : opts.get(key).split(",")) {
            values.add(intIn(Map.of(key, part), key, min, max));
        }
        return List.copyOf(values);
    }
}
