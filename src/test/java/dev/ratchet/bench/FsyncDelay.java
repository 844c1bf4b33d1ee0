package dev.ratchet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A slow disk for one running process, injected from outside without any hook in the product, as
 * {@code DiskFaultFailoverTest} does for the leader: {@code strace} attached to every thread of the process
 * ({@code -f}) delays the return of each {@code fsync}/{@code fdatasync} by a fixed time. {@link #close}
 * detaches strace and the process runs on at full speed.
 *
 * <p>Attached via {@code -p}, strace cannot install a seccomp filter, so it stops the process at every system
 * call, not only the delayed ones: the slowed process also pays a round trip to strace per system call. A
 * figure measured under it is therefore a pessimistic bound for "the same process with a slower disk".
 */
final class FsyncDelay implements AutoCloseable {

    /** strace that cannot attach (no ptrace permission, process gone) exits within this. */
    private static final long ATTACH_GRACE_SECONDS = 2;
    private static final long DETACH_SECONDS = 10;

    private final Process strace;

    private FsyncDelay(Process strace) {
        this.strace = strace;
    }

    /**
     * Why this machine cannot slow a process's fsyncs, or empty if it can: strace must be installed and allowed
     * to attach to a sibling process (what the benchmark's node processes are to it), which Yama's
     * {@code ptrace_scope}, a container's seccomp profile or a missing {@code CAP_SYS_PTRACE} can forbid.
     * Checked on a {@code sleep} started the way the nodes are, so a run fails in seconds, not after a warm-up.
     */
    static Optional<String> unavailable(Path scratch) throws InterruptedException {
        try {
            Process version = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            if (version.waitFor() != 0) {
                return Optional.of("'strace -V' failed");
            }
        } catch (IOException e) {
            return Optional.of("strace is not installed (apt-get install strace): " + e.getMessage());
        }
        Process sleeper = null;
        try {
            Files.createDirectories(scratch);
            sleeper = new ProcessBuilder("sleep", "60").start();
            attach(sleeper.pid(), 1, scratch.resolve("strace-probe.log")).close();
            return Optional.empty();
        } catch (IllegalStateException | IOException e) {
            return Optional.of(e.getMessage());
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
        }
    }

    /**
     * Attaches strace to {@code pid} so that each of its fsync/fdatasync calls returns {@code delayMs} later;
     * strace's own messages go to {@code log}.
     *
     * @throws IllegalStateException if strace exits at once (it could not attach), with what it said
     */
    static FsyncDelay attach(long pid, int delayMs, Path log) throws IOException, InterruptedException {
        // The failover suite's command, verbatim but for the delay: only these two calls are traced and delayed.
        Process strace = new ProcessBuilder(List.of("strace", "-f", "-qq", "-e", "trace=fdatasync,fsync",
                "-e", "inject=fdatasync,fsync:delay_exit=" + delayMs * 1000L, "-o", "/dev/null", "-p", Long.toString(pid)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // strace has no "attached" signal with -qq; one that cannot attach exits at once, one that can stays.
        if (strace.waitFor(ATTACH_GRACE_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("strace cannot attach to process " + pid + " (ptrace not permitted?), exit "
                    + strace.exitValue() + ": " + read(log).strip());
        }
        return new FsyncDelay(strace);
    }

    /** Detaches: SIGTERM makes strace let go of every thread; SIGKILL only if it does not exit in time. */
    @Override
    public void close() throws InterruptedException {
        strace.destroy();
        if (!strace.waitFor(DETACH_SECONDS, TimeUnit.SECONDS)) {
            strace.destroyForcibly();
            strace.waitFor(DETACH_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
