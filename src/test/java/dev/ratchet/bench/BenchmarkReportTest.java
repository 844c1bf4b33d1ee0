package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class BenchmarkReportTest {

    private static final String RATCHET = """
            {"system":"ratchet","host":{"cores":2,"java":"17.0.15"},"startedAt":"2026-11-25T12:00:00Z","rows":[
             {"system":"ratchet","nodes":3,"workload":"write","valueBytes":100,"clients":32,"seconds":30.0,
              "ok":27000,"failed":0,"perSecond":900.0,"p50Ms":30.0,"p99Ms":90.0,"p999Ms":150.0,"maxMs":200.0},
             {"system":"ratchet","nodes":3,"workload":"write","valueBytes":100,"clients":1,"seconds":30.0,
              "ok":9000,"failed":1,"perSecond":300.0,"p50Ms":3.0,"p99Ms":9.0,"p999Ms":15.0,"maxMs":20.0,
              "serverCpuUsPerOp":812.4},
             {"system":"ratchet","nodes":3,"workload":"read-stale","valueBytes":100,"clients":1,"seconds":30.0,
              "ok":30000,"failed":0,"perSecond":1000.0,"p50Ms":1.0,"p99Ms":2.0,"p999Ms":3.0,"maxMs":4.0}],
             "failover":{"kills":2,"samples":[{"kill":1,"firstCommitMs":700},{"kill":2,"firstCommitMs":900}],
              "firstCommitMs":{"median":800.0,"max":900}}}
            """;
    private static final String RATIS = """
            {"system":"ratis","host":{"cores":2,"java":"17.0.15"},"startedAt":"2026-11-25T13:00:00Z","rows":[
             {"system":"ratis","nodes":3,"workload":"write","valueBytes":100,"clients":1,"seconds":30.0,
              "ok":3000,"failed":0,"perSecond":100.0,"p50Ms":8.0,"p99Ms":20.0,"p999Ms":40.0,"maxMs":50.0},
             {"system":"ratis","nodes":3,"workload":"write","valueBytes":100,"clients":32,"seconds":30.0,
              "ok":36000,"failed":0,"perSecond":1200.0,"p50Ms":25.0,"p99Ms":60.0,"p999Ms":90.0,"maxMs":99.0}]}
            """;

    private static final String ETCD = RATIS.replace("ratis", "etcd").replace("\"perSecond\":100.0", "\"perSecond\":150.0");

    private static List<BenchmarkReport.Peer> peers(String etcd, String ratis) {
        return List.of(new BenchmarkReport.Peer("etcd", etcd == null ? null : json(etcd), "etcd.json not found"),
                new BenchmarkReport.Peer("Ratis", ratis == null ? null : json(ratis), "ratis.json not found"));
    }

    @Test
    void eachSharedWindowGetsTheRatioToEveryPeer() {
        String md = BenchmarkReport.render(json(RATCHET), peers(ETCD, RATIS));
        assertThat(md).contains("## 3 nodes, write, 100-byte values")
                .contains("| clients | Ratchet ops/s | etcd ops/s | Ratchet/etcd | Ratis ops/s | Ratchet/Ratis |")
                .contains("| 1 | 300.0 | 150.0 | 2.00× | 100.0 | 3.00× | 3.00 / 9.00 / 15.00 | 8.00 / 20.00 / 40.00"
                        + " | 8.00 / 20.00 / 40.00 | 812 | — | — | 1 | 0 | 0 |")
                .contains("| 32 | 900.0 | 1200.0 | 0.75× | 1200.0 | 0.75× |");
        assertThat(md.indexOf("| 1 | 300.0")).isLessThan(md.indexOf("| 32 | 900.0"));
        assertThat(md.indexOf("write, 100-byte")).isLessThan(md.indexOf("read-stale, 100-byte"));
    }

    @Test
    void aWindowOnlyOneSystemRanHasNoRatio() {
        String md = BenchmarkReport.render(json(RATCHET), peers(null, RATIS));
        assertThat(md).contains("## 3 nodes, read-stale, 100-byte values")
                .contains("| 1 | 1000.0 | — | — | — | — | 1.00 / 2.00 / 3.00 | — | — | — | — | — | 0 | — | — |");
    }

    @Test
    void theWatchAndTxnSectionsAreRendered() {
        String file = RATCHET.strip().replaceFirst("}$", ",\"watch\":{\"watchers\":1000,\"eventsPerSecond\":50000.0,"
                + "\"delayP99Ms\":12.5},\"txn\":{\"rows\":[{\"clients\":4,\"ok\":400,\"failed\":0,\"opsPerSecond\":80.0,"
                + "\"p50Ms\":40.0,\"p99Ms\":90.0,\"maxMs\":95.0}]}}");
        String md = BenchmarkReport.render(json(file), peers(null, null));
        assertThat(md).contains("## Ratchet: watch").contains("- watchers: 1000").contains("- delayP99Ms: 12.5")
                .contains("## Ratchet: txn").contains("| clients | ok | failed | opsPerSecond | p50Ms | p99Ms | maxMs |")
                .contains("| 4 | 400 | 0 | 80.0 | 40.0 | 90.0 | 95.0 |");
    }

    @Test
    void theSlowDiskSectionJudgesEachRowAgainstTheTargetUnlessTheLeaderChanged() {
        String row = "{\"workload\":\"write\",\"clients\":16,\"leader\":\"n1\",\"term\":2,\"healthyPerSecond\":1000.0,"
                + "\"healthyP50Ms\":15.0,\"healthyP99Ms\":40.0,\"healthyFailed\":0,\"slowPerSecond\":750.0,"
                + "\"slowP50Ms\":20.0,\"slowP99Ms\":70.0,\"slowFailed\":0,\"ratio\":0.75,"
                + "\"leaderChangedBeforeSlow\":false,\"leaderChanged\":false,\"leaderAfter\":\"n1\",\"termAfter\":2,"
                + "\"meetsTarget\":true,\"healthyLeaderSyncMs\":0.25,\"slowLeaderSyncMs\":30.4}";
        String changed = row.replace("\"clients\":16", "\"clients\":64").replace("\"ratio\":0.75", "\"ratio\":0.2")
                .replace("\"leaderChanged\":false", "\"leaderChanged\":true").replace("\"leaderAfter\":\"n1\"",
                        "\"leaderAfter\":\"n2\"").replace("\"termAfter\":2", "\"termAfter\":3")
                .replace("\"meetsTarget\":true", "\"meetsTarget\":null");
        String file = RATCHET.strip().replaceFirst("}$", ",\"slowdisk\":{\"fsyncDelayMs\":30,\"targetRatio\":0.7,"
                + "\"nodes\":3,\"valueBytes\":100,\"durationSeconds\":30,\"settleSeconds\":5,\"rows\":["
                + row + "," + changed + "]}}");
        String md = BenchmarkReport.render(json(file), peers(null, null));
        assertThat(md).contains("## Slow leader disk (+30 ms per fsync)")
                .contains("| write | 16 | 1000.0 | 750.0 | 75% | met | 15.00 / 40.00 | 20.00 / 70.00 | 0.25 / 30.40 | 0 / 0 | n1 (term 2) |")
                .contains("| write | 64 | 1000.0 | 750.0 | 20% | not judged: leader changed |")
                .contains("**changed**: n1 → n2 (term 2 → 3)").contains("Target met in 1 of 1 judged rows.")
                .doesNotContain("## Ratchet: slowdisk");
    }

    @Test
    void theOtherSectionsAreRendered() {
        String md = BenchmarkReport.render(json(RATCHET), peers(null, null));
        assertThat(md).contains("Ratis: no results (ratis.json not found)").contains("## Ratchet: failover")
                .contains("| kill | firstCommitMs |").contains("| 2 | 900 |").contains("- firstCommitMs: median=800.0, max=900");
    }

    @Test
    void aMissingRatisFileStillGivesAReportAndAMissingRatchetFileIsAClearError(@TempDir Path dir)
            throws IOException {
        Path ratchet = dir.resolve("ratchet.json");
        Files.writeString(ratchet, RATCHET);
        Path report = dir.resolve("out/report.md");
        BenchmarkReport.write(ratchet, dir.resolve("ratis.json"), dir.resolve("etcd.json"), report);
        assertThat(Files.readString(report)).contains("| 32 | 900.0 | — | — | — | — |").contains("not found");
        assertThatThrownBy(() -> BenchmarkReport.write(dir.resolve("none.json"), dir.resolve("ratis.json"),
                dir.resolve("etcd.json"), report))
                .isInstanceOf(IOException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aRowWithAMissingFieldIsRefusedByName() {
        String broken = RATIS.replace("\"p99Ms\":20.0,", "");
        assertThatThrownBy(() -> BenchmarkReport.render(json(RATCHET), peers(null, broken)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'p99Ms'");
    }

    private static JsonNode json(String s) {
        return Json.MAPPER.readTree(s);
    }
}
