package dev.ratchet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The results of one run in the shared schema plus one object per extra part ("failover", "rejoin", ...),
 * rewritten to disk (atomically) after every addition so an interrupted run keeps what it measured. Not
 * thread-safe: the benchmark's main thread owns it.
 */
final class ResultsFile {

    private final Path file;
    private final ObjectNode root = Json.MAPPER.createObjectNode();
    private final ArrayNode rows;

    ResultsFile(Path file, String system) {
        this.file = file;
        root.put("system", system);
        ObjectNode host = root.putObject("host");
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("java", System.getProperty("java.version"));
        // How the Ratchet nodes' JVMs were started (NodeProcess reads the same properties).
        host.put("nodeGc", System.getProperty("ratchet.test.node-gc", "Serial"));
        host.put("nodeHeap", System.getProperty("ratchet.test.node-heap", "256m"));
        root.put("startedAt", Instant.now().toString());
        rows = root.putArray("rows");
    }

    void add(BenchmarkRow row) throws IOException {
        rows.add(row.toJson());
        save();
    }

    void section(String name, ObjectNode content) throws IOException {
        root.set(name, content);
        save();
    }

    Path path() {
        return file;
    }

    private void save() throws IOException {
        Json.write(file, root);
    }
}
