package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A slow disk without ptrace: {@code tools/fsync-delay/fsync_delay.c}, compiled here with gcc and preloaded
 * into every node of a cluster ({@code LD_PRELOAD}), sleeps after each fsync/fdatasync for the milliseconds
 * in the node's control file. {@link #slow} writes the delay into one node's file and its {@code close}
 * writes 0; the library reads the file again within 20 ms. Every node carries the library in both phases,
 * so the healthy and the slow window differ in the delay alone (strace attached with {@code -p} also stops
 * the process at every other system call).
 *
 * <p>Not thread-safe; the benchmark's main thread uses it.
 */
final class PreloadedFsyncDelay {

    static final Path SOURCE = Path.of("tools", "fsync-delay", "fsync_delay.c");
    private static final String LIBRARY_NAME = "libfsyncdelay.so";
    private static final String CONTROL_ENV = "RATCHET_FSYNC_DELAY_FILE";

    private final Path library;

    private PreloadedFsyncDelay(Path library) {
        this.library = library;
    }

    /**
     * Compiles the library into {@code scratch}; empty, with what went wrong printed, if this machine cannot
     * (no gcc, not Linux).
     */
    static Optional<PreloadedFsyncDelay> build(Path scratch) throws InterruptedException {
        Path library = scratch.toAbsolutePath().resolve(LIBRARY_NAME);
        try {
            Files.createDirectories(scratch);
            Process gcc = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-o", library.toString(),
                    SOURCE.toString(), "-ldl")).redirectErrorStream(true).start();
            String said = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                System.err.println("bench: cannot build " + SOURCE + ": " + said.strip());
                return Optional.empty();
            }
            return Optional.of(new PreloadedFsyncDelay(library));
        } catch (IOException e) {
            System.err.println("bench: cannot build " + SOURCE + " (gcc installed?): " + e.getMessage());
            return Optional.empty();
        }
    }

    /** What the JSON records as the injection. */
    String describe() {
        return "LD_PRELOAD=" + SOURCE + " on every node; the leader's control file set to the delay";
    }

    /** Before the cluster starts: every node preloads the library with a control file of its own, at 0. */
    void prepare(LocalCluster cluster) throws IOException {
        for (NodeProcess n : cluster.nodes()) {
            Path control = controlFile(n);
            Files.createDirectories(control.getParent());
            Files.writeString(control, "0\n");
            n.environment(Map.of("LD_PRELOAD", library.toString(), CONTROL_ENV, control.toString()));
        }
    }

    /**
     * Slows {@code node}'s fsyncs by {@code delayMs} until the returned handle is closed.
     *
     * @throws IllegalStateException if the running process did not load the library (the delay would be a no-op)
     */
    AutoCloseable slow(NodeProcess node, int delayMs) throws IOException {
        Path maps = Path.of("/proc", Long.toString(node.pid()), "maps");
        if (!Files.readString(maps).contains(library.toString())) {
            throw new IllegalStateException(node.id() + " (pid " + node.pid() + ") has not loaded " + library);
        }
        Path control = controlFile(node);
        Files.writeString(control, delayMs + "\n");
        return () -> Files.writeString(control, "0\n");
    }

    private static Path controlFile(NodeProcess n) {
        return n.dataDir().toAbsolutePath().getParent().resolve(n.id() + "-fsync-delay-ms");
    }
}
