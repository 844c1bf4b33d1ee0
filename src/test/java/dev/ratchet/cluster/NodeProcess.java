package dev.ratchet.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Ratchet node as a real child JVM started from the test classpath, with its output in a log file
 * under {@code target/cluster-tests}. {@link #kill()} is SIGKILL, {@link #stop()} is SIGTERM.
 */
public final class NodeProcess {

    private final String id;
    private final int apiPort;
    private final int peerPort;
    private final Path dataDir;
    private final Path logFile;
    private final List<String> args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> environment = new HashMap<>();
    private Process process;
    private int starts;
    /** The least -Xmx of later starts (see {@link #heap}); null: the suite's default. */
    private String heap;

    NodeProcess(String id, int apiPort, int peerPort, Path dataDir, Path logDir, List<String> args) {
        this.id = id;
        this.apiPort = apiPort;
        this.peerPort = peerPort;
        this.dataDir = dataDir;
        this.logFile = logDir.resolve(id + ".log");
        this.args = List.copyOf(args);
    }

    public String id() {
        return id;
    }

    public int apiPort() {
        return apiPort;
    }

    public int peerPort() {
        return peerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /**
     * The least heap of every later start ({@code -Xmx} syntax, e.g. {@code 512m}; a larger
     * {@code ratchet.test.node-heap} wins), for a test whose data would
     * otherwise fill the suite's default heap: the document quota is a quarter of the heap, and a node at
     * its quota with the serial collector spends its time collecting (see WalSegmentKillFailoverTest).
     */
    public synchronized void heap(String size) {
        this.heap = size;
    }

    /** The larger of two -Xmx sizes ({@code 512m}, {@code 2g}, plain bytes); {@code a} may be null. */
    static String larger(String a, String b) {
        return a != null && bytes(a) > bytes(b) ? a : b;
    }

    private static long bytes(String size) {
        String s = size.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    /** Variables added to the environment of every later start (benchmarks: a preloaded fsync delay). */
    public synchronized void environment(Map<String, String> variables) {
        environment.putAll(variables);
    }

    public synchronized void start(String... extraArgs) throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running");
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        // C1 only starts faster, but lacks the AES-GCM intrinsics TLS needs for bulk transfers (benchmarks).
        String jit = Boolean.getBoolean("ratchet.test.full-jit") ? "-XX:+TieredCompilation" : "-XX:TieredStopAtLevel=1";
        String heap = "-Xmx" + larger(this.heap, System.getProperty("ratchet.test.node-heap", "256m"));
        // Serial by default: the suite's many small nodes share two cores. Benchmarks ask for G1, which the
        // image (docker/Dockerfile) and a default JVM on a server-class machine use.
        // The property names the collector as its flag does: Serial, Parallel, G1 or Z.
        String gc = "-XX:+Use" + System.getProperty("ratchet.test.node-gc", "Serial") + "GC";
        // A node that runs out of heap leaves a dump beside its log: the only way to see what filled it.
        List<String> cmd = new ArrayList<>(List.of(javaBin, heap, gc, jit,
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + logFile.getParent(),
                "-cp", System.getProperty("java.class.path"), "dev.ratchet.RatchetApplication"));
        if (gc.equals("-XX:+UseG1GC")) {
            // As the image sets it (docker/Dockerfile): G1's default goal of 200 ms pauses is above 3 heartbeats.
            cmd.add(cmd.indexOf("-cp"), "-XX:MaxGCPauseMillis=50");
        }
        if (Boolean.getBoolean("ratchet.test.node-gc-log")) {
            // Every collection with its pause, beside the node's log (benchmarks: what a heartbeat gap was).
            cmd.add(cmd.indexOf("-cp"), "-Xlog:gc:file=" + logFile.resolveSibling(id + "-gc-%p.log") + ":time,uptime");
        }
        if (Boolean.getBoolean("ratchet.test.node-jfr")) {
            // A flight recording (method samples, allocations, locks) beside the node's log (benchmarks: where a
            // write's CPU goes); written when the node exits normally, or by jcmd just before kill() ends it.
            cmd.add(cmd.indexOf("-cp"), "-XX:StartFlightRecording=name=bench,dumponexit=true,filename="
                    + flightRecording(starts + 1));
        }
        cmd.addAll(args);
        cmd.addAll(List.of(extraArgs));
        Files.createDirectories(logFile.getParent());
        starts++;
        Files.writeString(logFile, "---- start " + starts + ": " + String.join(" ", cmd.subList(cmd.indexOf("dev.ratchet.RatchetApplication"), cmd.size())) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        Process started = process;
        // If the test JVM dies (timeout, crash), its nodes must not outlive it and hold ports and CPU.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    }

    /** The running process's pid (for fault injection with prlimit / strace). */
    public synchronized long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(id + " is not running");
        }
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no leadership hand-over (a flight recording, if on, is dumped first). */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            try {
                if (Boolean.getBoolean("ratchet.test.node-jfr") && process.isAlive()) {
                    dumpFlightRecording();
                }
            } finally {
                process.destroyForcibly();
            }
            process.waitFor();
        }
    }

    private Path flightRecording(int start) {
        return logFile.resolveSibling(id + "-start" + start + ".jfr");
    }

    /**
     * Blocks until jcmd has written the running recording (at most 60 s). A failure is printed, not thrown:
     * the kill goes ahead either way. Throws InterruptedException (after ending jcmd) if interrupted.
     */
    private void dumpFlightRecording() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump;
        try {
            dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "JFR.dump", "name=bench",
                    "filename=" + flightRecording(starts)).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println(id + ": could not run jcmd to dump the flight recording: " + e.getMessage());
            return;
        }
        try {
            // jcmd prints a few lines at most, which fit in the pipe: it never waits for this side to read them,
            // so the output is read only once it has exited, and a jcmd that hangs costs the 60 s, no more.
            if (!dump.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                System.err.println(id + ": jcmd JFR.dump did not finish in 60 s");
            } else if (dump.exitValue() != 0) {
                String output = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                System.err.println(id + ": jcmd JFR.dump failed (exit " + dump.exitValue() + "): " + output.strip());
            }
        } catch (IOException e) {
            System.err.println(id + ": could not read jcmd's answer: " + e.getMessage());
        } finally {
            dump.destroyForcibly();
        }
    }

    /** SIGTERM: graceful shutdown; waits for the exit. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Timeouts.seconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(15))
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** True if readiness answers 200 (member, leader known, caught up). */
    public boolean isReady() {
        try {
            return isAlive() && get("/actuator/health/readiness").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The failure of a wait for this node's readiness: its own answer and the end of its log say why. */
    public AssertionError notReady(Throwable timeout) {
        return new AssertionError("%s is not ready: %s%nlast lines of its log:%n%s".formatted(id, readinessReport(), tail(60)),
                timeout);
    }

    /** What readiness answers right now (status and body), or why it did not answer, for failure messages. */
    public String readinessReport() {
        if (!isAlive()) {
            return "the process is not running";
        }
        try {
            HttpResponse<String> r = get("/actuator/health/readiness");
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "readiness did not answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The last lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
