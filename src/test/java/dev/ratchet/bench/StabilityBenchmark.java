package dev.ratchet.bench;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A long window of rate-limited writes at half the peak write rate, counting what should not happen in a
 * steady state: leader changes (the nodes' leader-change counters and the term) and new peer TLS
 * connections (the transport's opened-connections counters), each summed over the nodes before and after.
 * Blocks for the window.
 */
final class StabilityBenchmark {

    private static final int CLIENTS = 16;
    private static final String LEADER_CHANGES = "ratchet_raft_leader_changes_total";
    private static final String CONNECTIONS_OPENED = "ratchet_transport_connections_opened_total";

    private final LocalCluster cluster;
    private final LoadWindow<NodeProcess> load;

    StabilityBenchmark(LocalCluster cluster, KvClient kv) {
        this.cluster = cluster;
        this.load = new LoadWindow<>(kv);
    }

    ObjectNode run(double peakWritesPerSecond, int seconds) throws InterruptedException {
        double rate = Math.max(1, peakWritesPerSecond / 2);
        NodeProcess leader = cluster.awaitLeader();
        long termBefore = KvClient.view(leader).map(KvClient.RaftView::term).orElse(-1L);
        double changesBefore = NodeMetrics.sumOver(cluster.nodes(), LEADER_CHANGES);
        double openedBefore = NodeMetrics.sumOver(cluster.nodes(), CONNECTIONS_OPENED);
        System.out.printf("[stability] %d s of writes at %.0f/s (half of the peak %.0f/s)%n", seconds, rate,
                peakWritesPerSecond);
        LoadWindow.Result r = load.run(Workload.WRITE, List.of(leader), CLIENTS, 100, Duration.ofSeconds(seconds),
                rate);
        NodeProcess leaderAfter = cluster.awaitLeader();
        long termAfter = KvClient.view(leaderAfter).map(KvClient.RaftView::term).orElse(-1L);
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.put("seconds", BenchmarkRow.round(r.seconds(), 1));
        section.put("peakWritesPerSecond", BenchmarkRow.round(peakWritesPerSecond, 1));
        section.put("targetWritesPerSecond", BenchmarkRow.round(rate, 1));
        section.put("clients", CLIENTS);
        section.set("row", BenchmarkRow.of("ratchet", cluster.nodes().size(), "write", 100, CLIENTS, r.seconds(),
                r.ok(), r.failed(), r.micros()).toJson());
        section.put("leaderChanges", (long) (NodeMetrics.sumOver(cluster.nodes(), LEADER_CHANGES) - changesBefore));
        section.put("termChanges", termAfter - termBefore);
        section.put("leaderBefore", leader.id());
        section.put("leaderAfter", leaderAfter.id());
        section.put("peerConnectionsOpened",
                (long) (NodeMetrics.sumOver(cluster.nodes(), CONNECTIONS_OPENED) - openedBefore));
        System.out.println("[stability] " + section);
        return section;
    }
}
