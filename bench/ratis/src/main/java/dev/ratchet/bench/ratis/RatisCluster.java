package dev.ratchet.bench.ratis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * A Ratis cluster of N peer processes ({@link RatisPeerMain}) on 127.0.0.1, each its own JVM with its
 * storage under {@code <runDir>/n<i>} and its output in {@code <runDir>/n<i>.log}. {@link #close()}
 * (also run by a shutdown hook) ends every peer: first by closing its stdin, then by signal.
 *
 * <p>Not thread-safe: one driver thread starts and closes it; {@link #newClient()} clients are
 * thread-safe (Ratis shares one client among threads in its own examples).
 */
public final class RatisCluster implements AutoCloseable {

    /** Pause between a request's attempts (Ratis skips it when a NotLeader reply names the new leader). */
    static final TimeDuration CLIENT_RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final ClusterLayout layout;
    private final Path runDir;
    private final List<String> peerJvmOptions;
    private final String readOption;
    private final int clientAttempts;
    private final List<Process> peers = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopPeers, "ratis-cluster-shutdown");

    /**
     * Picks free loopback ports for {@code nodes} peers; starts nothing yet. Each request of a
     * {@link #newClient()} client gets {@code clientAttempts} attempts (NotLeader redirects included),
     * {@link #CLIENT_RETRY_SLEEP} apart, before it counts as failed.
     */
    public RatisCluster(int nodes, Path runDir, List<String> peerJvmOptions, String readOption, int clientAttempts)
            throws IOException {
        this.layout = new ClusterLayout(UUID.randomUUID(), freePorts(nodes));
        this.runDir = runDir;
        this.peerJvmOptions = List.copyOf(peerJvmOptions);
        this.readOption = readOption;
        this.clientAttempts = clientAttempts;
    }

    /** The group's layout (ids and ports). */
    public ClusterLayout layout() {
        return layout;
    }

    /** Starts every peer process; returns without waiting for a leader. */
    public void start() throws IOException {
        Files.createDirectories(runDir);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        for (int i = 0; i < layout.ports().size(); i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBin);
            cmd.addAll(peerJvmOptions);
            cmd.addAll(List.of("-cp", classPath, RatisPeerMain.class.getName(), Integer.toString(i), layout.encode(),
                    runDir.resolve("n" + i).toString(), readOption));
            Path log = runDir.resolve("n" + i + ".log");
            peers.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
        }
    }

    /** A leader-aware client of the whole group, with bounded retries (Ratis' default retries forever). */
    public RaftClient newClient() {
        RetryPolicy retries = RetryPolicies.retryUpToMaximumCountWithFixedSleep(clientAttempts, CLIENT_RETRY_SLEEP);
        return RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(layout.group())
                .setRetryPolicy(retries).build();
    }

    /**
     * Blocks until a write commits, and returns the leader that committed it.
     *
     * @throws IllegalStateException when a peer process died or {@code timeoutMillis} passed without a commit
     */
    public RaftPeerId awaitLeader(RaftClient client, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            assertPeersAlive();
            try {
                RaftClientReply reply = client.io().send(KvCommands.put("probe", new byte[1]));
                if (reply.isSuccess()) {
                    return reply.getServerId();
                }
                last = reply.getException();
            } catch (IOException e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("no leader committed a write within " + timeoutMillis + " ms; peer logs in "
                + runDir.toAbsolutePath(), last);
    }

    /** Throws if any peer process has exited, naming its log. */
    public void assertPeersAlive() {
        for (int i = 0; i < peers.size(); i++) {
            Process p = peers.get(i);
            if (!p.isAlive()) {
                throw new IllegalStateException("Ratis peer n" + i + " exited with " + p.exitValue() + "; see "
                        + runDir.resolve("n" + i + ".log").toAbsolutePath());
            }
        }
    }

    /** Deletes the peers' storage directories (their logs stay); call after {@link #close()}. */
    public void deleteStorage() throws IOException {
        for (int i = 0; i < layout.ports().size(); i++) {
            Path dir = runDir.resolve("n" + i);
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        stopPeers();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never started: the hook runs or is not needed
        }
    }

    private synchronized void stopPeers() {
        for (Process p : peers) {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.flush();
            } catch (IOException e) {
                // the peer is gone already
            }
        }
        for (Process p : peers) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        if (count < 1 || count > ClusterLayout.MAX_NODES) {
            throw new IllegalArgumentException("nodes must be 1.." + ClusterLayout.MAX_NODES + ", got " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(ClusterLayout.HOST)));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
