package dev.ratchet.bench;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One measured load window in the shared result schema (bench-schema.md). Latencies in milliseconds, from
 * a histogram of microseconds with 3 significant digits. {@code serverCpuUsPerOp} is the CPU time (user
 * plus system) every server process of the cluster used during the window, per successful operation, in
 * microseconds; 0 where it was not measured (older files, the Ratis peer).
 */
public record BenchmarkRow(String system, int nodes, String workload, int valueBytes, int clients, double seconds,
        long ok, long failed, double perSecond, double p50Ms, double p99Ms, double p999Ms, double maxMs,
        double serverCpuUsPerOp) {

    /** A row from a window's counts and its latency histogram (values in microseconds). */
    public static BenchmarkRow of(String system, int nodes, String workload, int valueBytes, int clients,
            double seconds, long ok, long failed, Histogram micros) {
        boolean empty = micros.getTotalCount() == 0;
        return new BenchmarkRow(system, nodes, workload, valueBytes, clients, round(seconds, 1), ok, failed,
                round(ok / seconds, 1), empty ? 0 : ms(micros.getValueAtPercentile(50)),
                empty ? 0 : ms(micros.getValueAtPercentile(99)), empty ? 0 : ms(micros.getValueAtPercentile(99.9)),
                empty ? 0 : ms(micros.getMaxValue()), 0);
    }

    /** This row with the servers' CPU time over the window spread over its successful operations. */
    public BenchmarkRow withServerCpu(java.time.Duration cpu) {
        double perOp = ok == 0 ? 0 : round(cpu.toNanos() / 1000.0 / ok, 1);
        return new BenchmarkRow(system, nodes, workload, valueBytes, clients, seconds, ok, failed, perSecond, p50Ms,
                p99Ms, p999Ms, maxMs, perOp);
    }

    /** The row as a JSON object, fields in the schema's order. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("system", system);
        o.put("nodes", nodes);
        o.put("workload", workload);
        o.put("valueBytes", valueBytes);
        o.put("clients", clients);
        o.put("seconds", seconds);
        o.put("ok", ok);
        o.put("failed", failed);
        o.put("perSecond", perSecond);
        o.put("p50Ms", p50Ms);
        o.put("p99Ms", p99Ms);
        o.put("p999Ms", p999Ms);
        o.put("maxMs", maxMs);
        if (serverCpuUsPerOp > 0) {
            o.put("serverCpuUsPerOp", serverCpuUsPerOp);
        }
        return o;
    }

    /**
     * A row read back from a results file.
     *
     * @throws IllegalArgumentException naming the missing or mistyped field
     */
    public static BenchmarkRow fromJson(JsonNode o) {
        return new BenchmarkRow(text(o, "system"), (int) number(o, "nodes"), text(o, "workload"),
                (int) number(o, "valueBytes"), (int) number(o, "clients"), number(o, "seconds"),
                (long) number(o, "ok"), (long) number(o, "failed"), number(o, "perSecond"), number(o, "p50Ms"),
                number(o, "p99Ms"), number(o, "p999Ms"), number(o, "maxMs"),
                o.has("serverCpuUsPerOp") ? number(o, "serverCpuUsPerOp") : 0);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("row " + o + ": field '" + field + "' missing or not a string");
        }
        return v.asString();
    }

    private static double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("row " + o + ": field '" + field + "' missing or not a number");
        }
        return v.asDouble();
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
