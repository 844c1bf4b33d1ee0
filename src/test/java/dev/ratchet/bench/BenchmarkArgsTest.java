package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkArgsTest {

    @Test
    void defaultsAreTheIssuesMatrix() {
        BenchmarkArgs a = BenchmarkArgs.parse();
        assertThat(a.nodes()).containsExactly(3, 5);
        assertThat(a.sizes()).containsExactly(100, 4096);
        assertThat(a.clients()).containsExactly(1, 16, 32, 64, 256);
        assertThat(a.workloads()).containsExactly(Workload.WRITE, Workload.WRITE_SPREAD, Workload.READ_LINEARIZABLE,
                Workload.READ_LINEARIZABLE_SPREAD, Workload.READ_STALE);
        assertThat(a.warmupSeconds()).isEqualTo(120);
        assertThat(a.durationSeconds()).isEqualTo(30);
        assertThat(a.failoverKills()).isEqualTo(20);
        assertThat(a.stabilitySeconds()).isEqualTo(600);
        assertThat(a.parts()).containsExactlyInAnyOrderElementsOf(BenchmarkArgs.DEFAULT_PARTS).contains("watch", "txn")
                .doesNotContain("slowdisk");
        assertThat(a.slowDiskClients()).containsExactly(16, 64);
        assertThat(a.watchers()).isEqualTo(1000);
        assertThat(a.watchRate()).isEqualTo(100);
        assertThat(a.out()).isEqualTo(Path.of("target/benchmarks/ratchet.json"));
    }

    @Test
    void givenValuesReplaceTheDefaults() {
        BenchmarkArgs a = BenchmarkArgs.parse("warmup=5", "duration=5", "clients=1, 16", "sizes=100", "nodes=3",
                "failover=3", "keys=5000", "stability=0", "parts=matrix,failover");
        assertThat(a.clients()).containsExactly(1, 16);
        assertThat(a.keys()).isEqualTo(5000);
        assertThat(a.stabilitySeconds()).isZero();
        assertThat(a.parts()).isEqualTo(Set.of("matrix", "failover"));
        assertThat(a.runs("memory")).isFalse();
        BenchmarkArgs w = BenchmarkArgs.parse("parts=watch,txn", "watchers=50", "watch-rate=20");
        assertThat(w.parts()).isEqualTo(Set.of("watch", "txn"));
        assertThat(w.watchers()).isEqualTo(50);
        assertThat(w.watchRate()).isEqualTo(20);
        BenchmarkArgs slow = BenchmarkArgs.parse("parts=slowdisk", "clients=8");
        assertThat(slow.runs("slowdisk")).isTrue();
        assertThat(slow.slowDiskClients()).containsExactly(8);
    }

    @Test
    void aBareReportMeansOnlyTheReport() {
        assertThat(BenchmarkArgs.parse("report").parts()).isEqualTo(Set.of("report"));
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheArgument() {
        List<String[]> cases = List.of(new String[] {"durations=5"}, new String[] {"warmup"},
                new String[] {"=5"}, new String[] {"duration=abc"}, new String[] {"duration=0"},
                new String[] {"clients=1,,16"}, new String[] {"clients=16,16"}, new String[] {"clients=2000"},
                new String[] {"parts=matrix,fuzz"}, new String[] {"workloads=write,scan"},
                new String[] {"keys=5", "keys=6"}, new String[] {"nodes="}, new String[] {"root-life=3"},
                new String[] {"watchers=0"}, new String[] {"watchers=10000"}, new String[] {"watch-rate=x"});
        List<String> expected = List.of("unknown argument 'durations'", "'warmup' is not key=value",
                "'=5' is not key=value", "duration: 'abc' is not a whole number", "duration: 0 is outside 1..",
                "clients: empty element", "clients: 16 listed twice", "clients: 2000 is outside 1..1024",
                "parts: unknown part 'fuzz'", "workloads: unknown workload 'scan'", "'keys' given twice",
                "nodes: empty element", "root-life: 3 is outside 6..3600", "watchers: 0 is outside 1..9000",
                "watchers: 10000 is outside 1..9000", "watch-rate: 'x' is not a whole number");
        for (int i = 0; i < cases.size(); i++) {
            String[] args = cases.get(i);
            assertThatThrownBy(() -> BenchmarkArgs.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected.get(i));
        }
    }
}
