package dev.ratchet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.cluster.LocalCluster;
import dev.ratchet.cluster.NodeProcess;
import dev.ratchet.cluster.Timeouts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * ratchetctl, run in this JVM through its picocli entry point, against a real 3-node cluster of node
 * processes talking mutual TLS. Abstract so that it starts no cluster of its own: a real-process test
 * class that already runs one (ThreeNodeClusterTest) runs these checks as a {@code @Nested} subclass, so
 * they cost no extra cluster start. Every check sends its commands to a chosen node, so "written on a
 * follower, read on another node" is what happens, not what a load balancer might do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class RatchetCtlClusterChecks {

    private final Supplier<LocalCluster> cluster;

    /** @param cluster the running cluster (a supplier: the owner starts it in its {@code @BeforeAll}) */
    protected RatchetCtlClusterChecks(Supplier<LocalCluster> cluster) {
        this.cluster = cluster;
    }

    record Run(int code, String out, String err) {
        JsonNode json() {
            return ApiClient.JSON.readTree(out);
        }
    }

    /** Runs ratchetctl with the admin token against exactly {@code node}. */
    private static Run ctlOn(NodeProcess node, String... args) {
        return ctl(Map.of("RATCHET_TOKEN", LocalCluster.ADMIN_TOKEN), node.baseUrl(), args);
    }

    private static Run ctl(Map<String, String> env, String endpoints, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoints=" + endpoints);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RatchetCtl.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), env);
        return new Run(code, out.toString(), err.toString());
    }

    private NodeProcess leader() {
        return cluster.get().awaitLeader();
    }

    private List<NodeProcess> followers() {
        NodeProcess leader = leader();
        return cluster.get().nodes().stream().filter(n -> !n.equals(leader)).toList();
    }

    @Test
    public void statusOnEveryNodeNamesTheSameLeaderAndThreeVoters() {
        String leader = leader().id();
        for (NodeProcess n : cluster.get().nodes()) {
            Run text = ctlOn(n, "status");
            assertThat(text.code()).as(text.err()).isZero();
            assertThat(text.out()).startsWith("node " + n.id() + " is ").contains("leader " + leader + ";");
            JsonNode view = ctlOn(n, "status", "-o", "json").json();
            assertThat(view.path("nodeId").asString()).isEqualTo(n.id());
            assertThat(view.path("role").asString()).isEqualTo(n.id().equals(leader) ? "LEADER" : "FOLLOWER");
            List<String> voters = new ArrayList<>();
            view.path("voters").forEach(v -> voters.add(v.asString()));
            assertThat(voters).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
        Run members = ctlOn(followers().get(0), "members", "list");
        assertThat(members.code()).as(members.err()).isZero();
        List<String> rows = members.out().lines().skip(1).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows).filteredOn(r -> r.matches(leader + "\\s+leader\\s+127\\.0\\.0\\.1:\\d+\\s+http://127\\.0\\.0\\.1:\\d+")).hasSize(1);
        assertThat(rows).filteredOn(r -> r.matches("n\\d\\s+voter\\s+.*")).hasSize(2);
    }

    @Test
    public void keyWrittenOnAFollowerIsReadOnAnotherNode() {
        NodeProcess writer = followers().get(0);
        Run put = ctlOn(writer, "kv", "put", "ctl/follower-write", "from " + writer.id(), "-o", "json");
        assertThat(put.code()).as(put.err()).isZero();
        String etag = put.json().path("etag").asString();
        for (NodeProcess reader : cluster.get().nodes()) {
            if (reader.equals(writer)) {
                continue;
            }
            Run get = ctlOn(reader, "kv", "get", "ctl/follower-write");
            assertThat(get.code()).as(get.err()).isZero();
            assertThat(get.out()).isEqualTo("from " + writer.id() + System.lineSeparator());
            assertThat(ctlOn(reader, "kv", "get", "ctl/follower-write", "-o", "json").json().path("etag").asString()).isEqualTo(etag);
        }
        // A compare-and-set through a third node with a stale etag: 412, exit 5, key unchanged.
        NodeProcess other = followers().get(1);
        assertThat(ctlOn(other, "kv", "put", "ctl/follower-write", "second", "--if-match", etag).code()).isZero();
        Run stale = ctlOn(writer, "kv", "put", "ctl/follower-write", "third", "--if-match", etag);
        assertThat(stale.code()).isEqualTo(RatchetCtl.PRECONDITION_FAILED);
        assertThat(stale.err()).contains("412", "urn:ratchet:problem:precondition-failed");
        assertThat(ctlOn(leader(), "kv", "get", "ctl/follower-write").out().strip()).isEqualTo("second");
    }

    @Test
    public void transactionSentToAFollowerIsSeenEverywhere() throws IOException {
        List<NodeProcess> followers = followers();
        assertThat(ctlOn(followers.get(0), "kv", "put", "ctl/txn/a", "1").code()).isZero();
        Path file = cluster.get().root().resolve("ctl-txn.json");
        Files.writeString(file, """
                {"compare":[{"key":"ctl/txn/a","exists":true},{"key":"ctl/txn/none","exists":false}],
                 "success":[{"put":{"key":"ctl/txn/b","value":"Yg=="}},{"delete":{"key":"ctl/txn/a"}}],
                 "failure":[{"put":{"key":"ctl/txn/failed","value":"Zg=="}}]}
                """);
        Run first = ctlOn(followers.get(1), "txn", file.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("SUCCESS at revision ").contains("put ctl/txn/b etag ");
        assertThat(ctlOn(leader(), "kv", "get", "ctl/txn/b").out().strip()).isEqualTo("b");
        assertThat(ctlOn(followers.get(0), "kv", "get", "ctl/txn/a").code()).isEqualTo(RatchetCtl.NOT_FOUND);
        // The same transaction again: ctl/txn/a is gone, so the failure branch runs; still exit 0.
        Run second = ctlOn(followers.get(0), "txn", file.toString(), "-o", "json");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.json().path("succeeded").asBoolean(true)).isFalse();
        assertThat(ctlOn(followers.get(1), "kv", "get", "ctl/txn/failed").out().strip()).isEqualTo("f");
    }

    @Test
    public void leaseGrantedOnOneNodeRevokedOnAnotherDeletesItsKey() {
        List<NodeProcess> nodes = cluster.get().nodes();
        Run grant = ctlOn(nodes.get(0), "lease", "grant", "60s", "-o", "json");
        assertThat(grant.code()).as(grant.err()).isZero();
        String id = Long.toString(grant.json().path("id").asLong());
        assertThat(ctlOn(nodes.get(1), "kv", "put", "ctl/leased", "v", "--lease", id).code()).isZero();
        Run keep = ctlOn(nodes.get(2), "lease", "keepalive", id);
        assertThat(keep.code()).as(keep.err()).isZero();
        assertThat(ctlOn(nodes.get(0), "lease", "list").out()).contains(id);
        Run revoke = ctlOn(nodes.get(2), "lease", "revoke", id);
        assertThat(revoke.code()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("1 key(s) deleted");
        for (NodeProcess n : nodes) {
            assertThat(ctlOn(n, "kv", "get", "ctl/leased").code()).isEqualTo(RatchetCtl.NOT_FOUND);
        }
        Run gone = ctlOn(nodes.get(1), "lease", "keepalive", id);
        assertThat(gone.code()).isEqualTo(RatchetCtl.NOT_FOUND);
        assertThat(gone.err()).contains("404");
    }

    @Test
    public void watchOnAFollowerSeesChangesMadeThroughOtherNodes() throws Exception {
        List<NodeProcess> followers = followers();
        NodeProcess watched = followers.get(0);
        long from = ctlOn(leader(), "kv", "put", "ctl/w-start", "0", "-o", "json").json().path("revision").asLong() + 1;
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> ctlOn(watched, "kv", "watch", "ctl/w/",
                "--from-revision", Long.toString(from), "--count", "2"));
        assertThat(ctlOn(followers.get(1), "kv", "put", "ctl/w/x", "one").code()).isZero();
        assertThat(ctlOn(leader(), "kv", "del", "ctl/w/x").code()).isZero();
        Run r = watch.get(Timeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d+ put ctl/w/x one");
        assertThat(lines.get(1)).matches("\\d+ delete ctl/w/x");
        // Revisions are log positions, and a cluster's log also holds entries that change no key (a new
        // leader's no-op, membership): the first change is at or after the start revision, not exactly on it.
        long put = Long.parseLong(lines.get(0).split(" ")[0]);
        assertThat(put).isGreaterThanOrEqualTo(from);
        assertThat(Long.parseLong(lines.get(1).split(" ")[0])).isGreaterThan(put);
    }

    @Test
    public void unreachableFirstEndpointFallsOverAndErrorsCarryTheProblem() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        NodeProcess live = followers().get(0);
        String both = "http://127.0.0.1:" + deadPort + "," + live.baseUrl();
        Map<String, String> admin = Map.of("RATCHET_TOKEN", LocalCluster.ADMIN_TOKEN);
        Run put = ctl(admin, both, "kv", "put", "ctl/failover", "ok");
        assertThat(put.code()).as(put.err()).isZero();
        Run status = ctl(admin, both, "status", "-o", "json");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.json().path("nodeId").asString()).isEqualTo(live.id());

        Run down = ctl(admin, "http://127.0.0.1:" + deadPort, "status");
        assertThat(down.code()).isEqualTo(RatchetCtl.UNREACHABLE);
        assertThat(down.err()).contains("no endpoint could be reached", Integer.toString(deadPort));
        Run wrongToken = ctl(Map.of("RATCHET_TOKEN", "rat_nope.nope"), live.baseUrl(), "kv", "get", "ctl/failover");
        assertThat(wrongToken.code()).isEqualTo(RatchetCtl.FAILED);
        // docs/cli.md's format, error: <status> <title> (<type>): <detail>, with docs/security.md's type.
        assertThat(wrongToken.err()).matches("(?s)error: 403 \\S.* \\(urn:ratchet:problem:invalid-credentials\\): \\S.*");
        Run noToken = ctl(Map.of(), live.baseUrl(), "leader", "transfer");
        assertThat(noToken.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(noToken.err()).contains("401", "urn:ratchet:problem:unauthenticated");
        Run unknownMember = ctlOn(live, "leader", "transfer", "--to", "nobody");
        assertThat(unknownMember.code()).isEqualTo(RatchetCtl.FAILED);
        assertThat(unknownMember.err()).startsWith("error: ");
        assertThat(ctlOn(live, "kv", "get", "ctl/failover").out().strip()).isEqualTo("ok");
    }

    /** Next to last: it moves leadership; the other checks look the leader up again and do not mind, but logs read easier. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    public void leaderTransferSentToAFollowerMovesLeadershipAndStatusShowsIt() {
        NodeProcess old = leader();
        NodeProcess target = followers().get(1);
        Run transfer = ctlOn(followers().get(0), "leader", "transfer", "--to", target.id());
        assertThat(transfer.code()).as(transfer.err()).isZero();
        assertThat(transfer.out().strip()).isEqualTo("leader is now " + target.id());
        for (NodeProcess n : cluster.get().nodes()) {
            await("status on " + n.id() + " names " + target.id()).atMost(Timeouts.seconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> ctlOn(n, "status", "-o", "json").json().path("leader").asString(), target.id()::equals);
        }
        assertThat(ctlOn(old, "status").out()).startsWith("node " + old.id() + " is FOLLOWER").contains("leader " + target.id() + ";");
        assertThat(ctlOn(old, "kv", "put", "ctl/after-transfer", "yes").code()).isZero();
        assertThat(ctlOn(target, "kv", "get", "ctl/after-transfer").out().strip()).isEqualTo("yes");
    }

    /**
     * Last, as it leaves the cluster one node short: a watch opened on the leader, with the followers as
     * further endpoints, goes on after the leader is SIGKILLed, printing the change written through a
     * survivor once a new leader is elected; and a command whose first endpoint is the dead node runs on
     * the next one.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    public void watchResumesOnTheNextEndpointWhenItsNodeIsKilled() throws Exception {
        NodeProcess leader = leader();
        List<NodeProcess> survivors = followers();
        String endpoints = leader.baseUrl() + "," + survivors.get(0).baseUrl() + "," + survivors.get(1).baseUrl();
        Map<String, String> admin = Map.of("RATCHET_TOKEN", LocalCluster.ADMIN_TOKEN);
        long from = ctlOn(leader, "kv", "put", "ctl/kw/before", "1", "-o", "json").json().path("revision").asLong();
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> ctl(admin, endpoints, "kv", "watch", "ctl/kw/",
                "--from-revision", Long.toString(from), "--count", "2"));
        // The watch has printed the first change once a progress event would follow; give it the stream first.
        await().atMost(Timeouts.seconds(10)).until(() -> !watch.isDone() && watchIsOpenOn(leader));
        leader.kill();
        await("a write through a survivor after the kill").atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ctlOn(survivors.get(0), "kv", "put", "ctl/kw/after", "2").code() == 0);
        Run r = watch.get(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(from + " put ctl/kw/before 1");
        assertThat(lines.get(1)).matches("\\d+ put ctl/kw/after 2");
        assertThat(r.err()).contains("resuming at revision " + (from + 1));

        Run fallsOver = ctl(admin, endpoints, "kv", "get", "ctl/kw/after");
        assertThat(fallsOver.code()).as(fallsOver.err()).isZero();
        assertThat(fallsOver.out().strip()).isEqualTo("2");
    }

    /** True once {@code node} counts an open watch (its metric), so the kill breaks a live stream. */
    private static boolean watchIsOpenOn(NodeProcess node) throws IOException, InterruptedException {
        String metrics = node.get("/actuator/prometheus").body();
        return metrics.lines().anyMatch(l -> l.startsWith("ratchet_watch_open") && !l.trim().endsWith(" 0.0") && !l.trim().endsWith(" 0"));
    }
}
