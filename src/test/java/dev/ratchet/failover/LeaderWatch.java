package dev.ratchet.failover;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * Polls every live node's own view ({@code GET /api/v1/cluster}) and records which node claimed
 * leadership in which term, so a scenario can check Election Safety from the outside: at most one
 * leader per term, whatever the network did.
 */
final class LeaderWatch implements AutoCloseable {

    private static final long POLL_NANOS = 150_000_000L;

    private final List<NodeProcess> nodes;
    private final Map<Long, Set<String>> leadersByTerm = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    LeaderWatch(List<NodeProcess> nodes) {
        this.nodes = List.copyOf(nodes);
        thread = new Thread(this::poll, "leader-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            for (NodeProcess n : nodes) {
                if (!n.isAlive()) {
                    continue;
                }
                try {
                    JsonNode view = LocalCluster.cluster(n);
                    if ("LEADER".equals(view.path("role").asString())) {
                        synchronized (this) {
                            leadersByTerm.computeIfAbsent(view.path("term").asLong(), t -> new TreeSet<>())
                                    .add(view.path("nodeId").asString());
                        }
                    }
                } catch (Exception e) {
                    // a node being killed or not answering yet: nothing to record
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Terms in which more than one node claimed to lead (empty when Election Safety held). */
    synchronized Map<Long, Set<String>> violations() {
        Map<Long, Set<String>> bad = new TreeMap<>();
        leadersByTerm.forEach((term, ids) -> {
            if (ids.size() > 1) {
                bad.put(term, Set.copyOf(ids));
            }
        });
        return bad;
    }

    /** Every (term → leader) seen, for reports. */
    synchronized String describe() {
        return leadersByTerm.toString();
    }

    synchronized int termsWithLeader() {
        return leadersByTerm.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
