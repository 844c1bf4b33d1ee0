package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Artifacts on three real node processes (each with a 256 MiB heap): upload through one node, read the
 * same bytes and etag from every node, conditional writes, ranges, deletes with garbage collection, bad
 * input that leaves nothing behind, a 512 MiB upload larger than the heap, and a node that was down
 * catching up by etag. {@code -Dratchet.artifacts.large=true} adds a 2 GiB upload.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArtifactClusterTest {

    private static final long MIB = 1024 * 1024;
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("artifacts", 3, List.of("--ratchet.artifacts.max-size=3GB",
                "--ratchet.artifacts.reconcile-interval=300ms", "--ratchet.artifacts.gc-grace=0s",
                "--ratchet.raft.snapshot-entries=10", "--ratchet.api.request-timeout=30s"));
        // Assigned before start() so that @AfterAll kills whatever started if start-up fails.
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void uploadedThroughOneNodeIsReadIdenticallyFromEvery() throws Exception {
        byte[] content = "the quick brown fox".repeat(1000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = ArtifactHttp.put(cluster.node(2), "dist/app-1.0.jar", content);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String etag = ArtifactHttp.sha256Hex(content);
        assertThat(put.headers().firstValue("ETag")).contains("\"" + etag + "\"");
        for (NodeProcess n : cluster.nodes()) {
            HttpResponse<byte[]> get = ArtifactHttp.get(n, "dist/app-1.0.jar");
            assertThat(get.statusCode()).as(n.id()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(content);
            assertThat(get.headers().firstValue("ETag")).contains("\"" + etag + "\"");
        }
        for (NodeProcess n : cluster.nodes()) {
            await(n.id() + " holds the blob").atMost(Timeouts.seconds(20)).until(() -> ArtifactHttp.blobsOnDisk(n).contains(etag));
        }
        HttpResponse<String> list = ArtifactHttp.request(cluster.node(3), "GET", "?prefix=dist/");
        assertThat(list.statusCode()).isEqualTo(200);
        var items = LocalCluster.json(list.body()).path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("path").asString()).isEqualTo("dist/app-1.0.jar");
        assertThat(items.get(0).path("etag").asString()).isEqualTo(etag);
        assertThat(items.get(0).path("size").asLong()).isEqualTo(content.length);
    }

    @Test
    @Order(2)
    void conditionalWritesRangesAndHead() throws Exception {
        NodeProcess n1 = cluster.node(1);
        byte[] v1 = "0123456789".getBytes(StandardCharsets.UTF_8);
        String e1 = ArtifactHttp.sha256Hex(v1);
        assertThat(ArtifactHttp.put(n1, "cond/x", v1, "If-None-Match", "*").statusCode()).isEqualTo(200);
        HttpResponse<String> again = ArtifactHttp.put(cluster.node(3), "cond/x", "other".getBytes(), "If-None-Match", "*");
        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(again.headers().firstValue("ETag")).contains("\"" + e1 + "\"");
        HttpResponse<String> stale = ArtifactHttp.put(cluster.node(2), "cond/x", "other".getBytes(),
                "If-Match", "\"" + "0".repeat(64) + "\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        byte[] v2 = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> cas = ArtifactHttp.put(cluster.node(2), "cond/x", v2, "If-Match", "\"" + e1 + "\"");
        assertThat(cas.statusCode()).as(cas.body()).isEqualTo(200);
        String e2 = ArtifactHttp.sha256Hex(v2);

        NodeProcess n3 = cluster.node(3);
        assertThat(ArtifactHttp.get(n3, "cond/x", "If-None-Match", "\"" + e2 + "\"").statusCode()).isEqualTo(304);
        HttpResponse<byte[]> range = ArtifactHttp.get(n3, "cond/x", "Range", "bytes=2-5");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("cdef");
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
        assertThat(new String(ArtifactHttp.get(n3, "cond/x", "Range", "bytes=-3").body(), StandardCharsets.UTF_8))
                .isEqualTo("hij");
        assertThat(ArtifactHttp.get(n3, "cond/x", "Range", "bytes=10-").statusCode()).isEqualTo(416);
        assertThat(ArtifactHttp.get(n3, "cond/x", "Range", "bytes=2-5", "If-Range", "\"" + e1 + "\"").statusCode())
                .as("a stale If-Range gets the whole content").isEqualTo(200);
        HttpResponse<String> head = ArtifactHttp.request(n3, "HEAD", "/cond/x");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains("10");
        assertThat(head.headers().firstValue("ETag")).contains("\"" + e2 + "\"");
        assertThat(head.body()).isEmpty();
    }

    @Test
    @Order(3)
    void badPathsAndBodiesAreRefusedAndLeaveNothingBehind() throws Exception {
        NodeProcess n2 = cluster.node(2);
        java.util.Set<String> blobsBefore = ArtifactHttp.blobsOnDisk(n2);
        for (String bad : List.of("a/%2e%2e/b", "%2e%2e", "a%00b", "a%01b", "a/./b", "x".repeat(1100))) {
            HttpResponse<String> r = ArtifactHttp.put(n2, bad, "evil".getBytes());
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
        }
        assertThat(ArtifactHttp.request(n2, "DELETE", "").statusCode()).as("prefix delete needs a prefix").isEqualTo(400);
        assertThat(ArtifactHttp.request(n2, "DELETE", "?prefix=..").statusCode()).isEqualTo(400);

        // A body shorter than its Content-Length, then the client goes away.
        try (Socket s = new Socket("127.0.0.1", n2.apiPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/v1/artifacts/partial HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[10_000]);
            out.flush();
        }
        // Declared larger than ratchet.artifacts.max-size: refused before any byte is stored.
        try (Socket s = new Socket("127.0.0.1", n2.apiPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PUT /api/v1/artifacts/huge HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (4L << 30) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        await("temporary files are removed").atMost(Timeouts.seconds(30))
                .until(() -> ArtifactHttp.temporaryFiles(n2) == 0);
        assertThat(ArtifactHttp.request(n2, "GET", "/partial").statusCode()).isEqualTo(404);
        assertThat(ArtifactHttp.request(n2, "GET", "/huge").statusCode()).isEqualTo(404);
        assertThat(ArtifactHttp.blobsOnDisk(n2)).as("no blob was added").isSubsetOf(blobsBefore);
    }

    @Test
    @Order(4)
    void deletesRemoveArtifactsAndTheirBlobsEverywhere() throws Exception {
        NodeProcess n1 = cluster.node(1);
        String shared = ArtifactHttp.sha256Hex("same".getBytes());
        for (String p : List.of("tree/a", "tree/sub/b", "tree/sub/c", "keep/d")) {
            byte[] body = p.equals("keep/d") || p.equals("tree/a") ? "same".getBytes() : p.getBytes();
            assertThat(ArtifactHttp.put(n1, p, body).statusCode()).isEqualTo(200);
        }
        String onlyInTree = ArtifactHttp.sha256Hex("tree/sub/b".getBytes());
        for (NodeProcess n : cluster.nodes()) {
            await().atMost(Timeouts.seconds(20)).until(() -> ArtifactHttp.blobsOnDisk(n).containsAll(List.of(shared, onlyInTree)));
        }
        assertThat(ArtifactHttp.request(cluster.node(2), "DELETE", "/tree/a").statusCode()).isEqualTo(204);
        assertThat(ArtifactHttp.request(cluster.node(2), "DELETE", "/tree/a").statusCode()).isEqualTo(404);
        HttpResponse<String> tree = ArtifactHttp.request(cluster.node(3), "DELETE", "?prefix=tree/");
        assertThat(tree.statusCode()).as(tree.body()).isEqualTo(200);
        assertThat(LocalCluster.json(tree.body()).path("deleted").asInt()).isEqualTo(2);
        for (NodeProcess n : cluster.nodes()) {
            assertThat(ArtifactHttp.request(n, "GET", "/tree/sub/b").statusCode()).isEqualTo(404);
            await(n.id() + " collects the unreferenced blob").atMost(Timeouts.seconds(20))
                    .until(() -> !ArtifactHttp.blobsOnDisk(n).contains(onlyInTree));
            assertThat(ArtifactHttp.blobsOnDisk(n)).as("keep/d still references the shared blob").contains(shared);
            assertThat(ArtifactHttp.get(n, "keep/d").body()).isEqualTo("same".getBytes());
        }
    }

    @Test
    @Order(5)
    void uploadLargerThanTheNodeHeapStreamsToEveryNode() throws Exception {
        streamLarge("big/half-gig.bin", 512 * MIB, cluster.node(3));
    }

    @Test
    @Order(6)
    void nodeThatWasDownCatchesUpByEtag() throws Exception {
        NodeProcess n3 = cluster.node(3);
        String keepEtag = ArtifactHttp.sha256Hex("same".getBytes());
        n3.kill();
        NodeProcess writer = cluster.node(1);
        await().atMost(Timeouts.seconds(30)).ignoreExceptions()
                .until(() -> ArtifactHttp.put(writer, "late/new", "arrived while n3 was down".getBytes()).statusCode() == 200);
        assertThat(ArtifactHttp.request(writer, "DELETE", "/keep/d").statusCode()).isEqualTo(204);
        assertThat(ArtifactHttp.request(writer, "DELETE", "/big/half-gig.bin").statusCode()).isEqualTo(204);
        for (int i = 0; i < 30; i++) {
            // Enough entries for the others to snapshot past n3's log.
            assertThat(writer.put("/api/v1/kv/filler/" + i, "x").statusCode()).isIn(200, 201);
        }
        n3.start();
        cluster.awaitReady(n3);
        String newEtag = ArtifactHttp.sha256Hex("arrived while n3 was down".getBytes());
        await("n3 reconciles").atMost(Timeouts.seconds(60)).untilAsserted(() -> {
            assertThat(ArtifactHttp.blobsOnDisk(n3)).contains(newEtag).doesNotContain(keepEtag);
            assertThat(ArtifactHttp.stats(n3).path("pendingFetches").asLong()).isZero();
        });
        assertThat(ArtifactHttp.get(n3, "late/new").body()).isEqualTo("arrived while n3 was down".getBytes());
        assertThat(ArtifactHttp.blobsOnDisk(n3)).isEqualTo(ArtifactHttp.blobsOnDisk(cluster.node(1)));
    }

    @Test
    @Order(7)
    @EnabledIfSystemProperty(named = "ratchet.artifacts.large", matches = "true")
    void twoGibUpload() throws Exception {
        streamLarge("big/two-gig.bin", 2048 * MIB, cluster.node(2));
    }

    private void streamLarge(String path, long size, NodeProcess target) throws Exception {
        ArtifactHttp.GeneratedContent body = new ArtifactHttp.GeneratedContent(size, size);
        long start = System.nanoTime();
        HttpResponse<String> put = ArtifactHttp.put(target, path, body, size, Timeouts.seconds(600));
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String etag = body.sha256Hex();
        assertThat(put.headers().firstValue("ETag")).contains("\"" + etag + "\"");
        for (NodeProcess n : cluster.nodes()) {
            await(n.id() + " holds " + path).atMost(Timeouts.seconds(300)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ArtifactHttp.holds(n, path));
        }
        double replicatedSeconds = (System.nanoTime() - start) / 1e9;
        NodeProcess reader = cluster.nodes().stream().filter(n -> n != target).findFirst().orElseThrow();
        ArtifactHttp.Download d = ArtifactHttp.download(reader, path, Timeouts.seconds(600));
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.bytes()).isEqualTo(size);
        assertThat(d.sha256()).isEqualTo(etag);
        assertThat(d.etag()).isEqualTo(etag);
        System.out.printf("artifact %s: %d MiB uploaded in %.1f s (%.0f MB/s), on every node after %.1f s%n", path,
                size / MIB, uploadSeconds, size / 1e6 / uploadSeconds, replicatedSeconds);
    }
}
