package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A full artifact store on three real node processes ({@code ratchet.artifacts.quota=8MB}): uploads
 * until the quota get 507 naming the property, on every node; the Raft log keeps working (key writes
 * commit through every node); a prefix delete commits, the blobs are collected on every node, and
 * uploads work again.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactQuotaClusterTest {

    private static final int MIB = 1024 * 1024;
    private static final int FITS = 8;
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster("artifact-quota", 3, List.of("--ratchet.artifacts.quota=" + FITS + "MB",
                "--ratchet.artifacts.reconcile-interval=300ms", "--ratchet.artifacts.gc-grace=0s",
                "--ratchet.api.request-timeout=30s"));
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] mebibyte(int seed) {
        byte[] b = new byte[MIB];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aFullStoreRefusesUploadsButKeepsTheLogAndDeletesWorking() throws Exception {
        NodeProcess n2 = cluster.node(2);
        List<String> etags = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < FITS + 4 && refused == null; i++) {
            byte[] content = mebibyte(i);
            HttpResponse<String> put = ArtifactHttp.put(n2, "full/a" + i, content);
            if (put.statusCode() == 507) {
                refused = put;
            } else {
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                etags.add(ArtifactHttp.sha256Hex(content));
            }
        }
        assertThat(etags).as("uploads that fit in %d MiB", FITS).hasSize(FITS);
        assertThat(refused).isNotNull();
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.body()).contains("\"property\":\"ratchet.artifacts.quota\"", "\"status\":507");
        for (NodeProcess n : cluster.nodes()) {
            await(n.id() + " holds every blob").atMost(Timeouts.seconds(30))
                    .until(() -> ArtifactHttp.blobsOnDisk(n).containsAll(etags));
            HttpResponse<String> put = ArtifactHttp.put(n, "full/through-" + n.id(), mebibyte(100));
            assertThat(put.statusCode()).as("%s is full too: %s", n.id(), put.body()).isEqualTo(507);
            assertThat(ArtifactHttp.temporaryFiles(n)).isZero();
        }

        // The Raft log is not the artifact store: key writes commit through every node.
        for (NodeProcess n : cluster.nodes()) {
            for (int k = 0; k < 5; k++) {
                HttpResponse<String> kv = n.put("/api/v1/kv/while-full/" + n.id() + "-" + k, "value " + k);
                assertThat(kv.statusCode()).as(kv.body()).isIn(200, 201);
            }
        }

        HttpResponse<String> deleted = ArtifactHttp.request(cluster.node(3), "DELETE", "?prefix=full/");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(LocalCluster.json(deleted.body()).path("deleted").asInt()).isEqualTo(FITS);
        for (NodeProcess n : cluster.nodes()) {
            await(n.id() + " collected the deleted blobs").atMost(Timeouts.seconds(30))
                    .until(() -> ArtifactHttp.blobsOnDisk(n).isEmpty());
        }
        HttpResponse<String> again = ArtifactHttp.put(n2, "full/again", mebibyte(200));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    }
}
