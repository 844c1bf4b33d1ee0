package dev.ratchet.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A cluster of real node processes on loopback for tests: node 1 bootstraps, the others join through
 * it with the join token; peers talk mutual TLS. Logs and data live under
 * {@code target/cluster-tests/<name>} and are kept after the test for inspection.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String JOIN_TOKEN = "test-join-token-0123456789abcdef";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<Integer> USED_PORTS = new HashSet<>();

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Path root;

    /**
     * @param extraArgs arguments for every node (e.g. accelerated rotation)
     */
    public LocalCluster(String name, int size, List<String> extraArgs) throws IOException {
        this(name, size, extraArgs, false);
    }

    /**
     * A cluster whose peer traffic can be cut by a fault-injecting proxy: node {@code i} listens on
     * 127.0.0.1, advertises {@link #proxiedPeerHost(int)} (where the test's proxy for it listens on the
     * same port) and dials its peers from {@link #sourceHost(int)} so the proxy can tell who is calling.
     * Start the proxies before {@link #start()}.
     */
    public static LocalCluster proxied(String name, int size, List<String> extraArgs) throws IOException {
        return new LocalCluster(name, size, extraArgs, true);
    }

    /** The address node {@code oneBased} advertises to peers in a proxied cluster. */
    public static String proxiedPeerHost(int oneBased) {
        return "127.0.1." + oneBased;
    }

    /** The address node {@code oneBased} dials its peers from in a proxied cluster. */
    public static String sourceHost(int oneBased) {
        return "127.0.2." + oneBased;
    }

    private LocalCluster(String name, int size, List<String> extraArgs, boolean proxied) throws IOException {
        this.root = Path.of("target", "cluster-tests", name + "-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(root);
        int[] api = new int[size];
        int[] peer = new int[size];
        for (int i = 0; i < size; i++) {
            api[i] = freePort();
            peer[i] = freePort();
        }
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            String host = proxied ? proxiedPeerHost(i + 1) : "127.0.0.1";
            peers.append(i == 0 ? "" : ",").append("n").append(i + 1).append('@').append(host).append(':').append(peer[i]);
        }
        for (int i = 0; i < size; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + api[i],
                    "--ratchet.node-id=n" + (i + 1),
                    "--ratchet.data-dir=" + root.resolve("n" + (i + 1) + "-data"),
                    "--ratchet.peer.host=" + (proxied ? proxiedPeerHost(i + 1) : "127.0.0.1"),
                    "--ratchet.peer.port=" + peer[i],
                    "--ratchet.peers=" + peers,
                    "--ratchet.join-token=" + JOIN_TOKEN,
                    "--ratchet.admin-token=" + ADMIN_TOKEN));
            if (proxied) {
                args.addAll(List.of("--ratchet.peer.bind-host=127.0.0.1", "--ratchet.peer.source-host=" + sourceHost(i + 1),
                        "--ratchet.api-url=http://127.0.0.1:" + api[i]));
            }
            if (i == 0) {
                args.add("--ratchet.bootstrap=true");
            } else {
                args.add("--ratchet.join-addresses=http://127.0.0.1:" + api[0]);
            }
            args.addAll(extraArgs);
            nodes.add(new NodeProcess("n" + (i + 1), api[i], peer[i], root.resolve("n" + (i + 1) + "-data"), root, args));
        }
    }

    /** Starts every node (the first one first) and waits until all are ready voters. */
    public LocalCluster start() throws IOException {
        nodes.get(0).start();
        awaitReady(nodes.get(0));
        for (NodeProcess n : nodes.subList(1, nodes.size())) {
            n.start();
        }
        for (NodeProcess n : nodes) {
            awaitReady(n);
        }
        await().atMost(Timeouts.seconds(60)).ignoreExceptions()
                .until(() -> voters(nodes.get(0)).size() == nodes.size());
        return this;
    }

    public void awaitReady(NodeProcess n) {
        try {
            await("readiness of " + n.id()).atMost(Timeouts.seconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!n.isAlive()) {
                            throw new AssertionError(n.id() + " exited:\n" + n.tail(40));
                        }
                        return n.isReady();
                    });
        } catch (ConditionTimeoutException e) {
            throw n.notReady(e);
        }
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public NodeProcess node(int oneBased) {
        return nodes.get(oneBased - 1);
    }

    public Path root() {
        return root;
    }

    /** The node every live node agrees leads, if they agree. */
    public Optional<NodeProcess> leader() {
        String agreed = null;
        for (NodeProcess n : nodes) {
            if (!n.isAlive()) {
                continue;
            }
            try {
                JsonNode view = cluster(n);
                if (!"LEADER".equals(view.path("role").asString())) {
                    continue;
                }
                agreed = view.path("nodeId").asString();
            } catch (Exception e) {
                // not answering right now
            }
        }
        String leaderId = agreed;
        return nodes.stream().filter(n -> n.id().equals(leaderId)).findFirst();
    }

    public NodeProcess awaitLeader() {
        return await("a leader").atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(100))
                .until(this::leader, Optional::isPresent).get();
    }

    public static JsonNode cluster(NodeProcess n) throws IOException, InterruptedException {
        return JSON.readTree(n.get("/api/v1/cluster").body());
    }

    public static List<String> voters(NodeProcess n) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        cluster(n).path("voters").forEach(v -> out.add(v.asString()));
        return out;
    }

    public static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            try {
                n.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A loopback port no other node of this JVM was given (the benchmark's etcd members use it too). */
    public static synchronized int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                if (USED_PORTS.add(port)) {
                    return port;
                }
            }
        }
    }

    /** Extracts a quoted ETag's value. */
    public static String etag(String header) {
        Matcher m = Pattern.compile("\"(.*)\"").matcher(header);
        return m.matches() ? m.group(1) : header;
    }
}
