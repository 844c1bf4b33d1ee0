package dev.ratchet.bench;

import java.time.Duration;
import java.util.List;

/**
 * The CPU time (user plus system, all threads) a set of server processes has used, read from the OS through
 * {@link ProcessHandle.Info#totalCpuDuration()} ({@code /proc/<pid>/stat} on Linux). Two readings around a
 * load window give what the servers spent on it, which compares two systems on one machine better than
 * their throughput alone: on two shared cores the rate moves with whatever else runs, the CPU per operation
 * much less.
 */
final class ServerCpu {

    private final List<Long> pids;

    ServerCpu(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    /**
     * The processes' CPU time so far.
     *
     * @throws IllegalStateException naming the process whose CPU time the OS does not report (gone, or a
     *                               platform without it): a window must not be charged less than it used
     */
    Duration total() {
        Duration sum = Duration.ZERO;
        for (long pid : pids) {
            ProcessHandle handle = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("server process " + pid + " is gone"));
            sum = sum.plus(handle.info().totalCpuDuration()
                    .orElseThrow(() -> new IllegalStateException("no CPU time reported for process " + pid)));
        }
        return sum;
    }
}
