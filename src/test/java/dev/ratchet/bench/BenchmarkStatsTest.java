package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchmarkStatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleSampleAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
        assertThat(SampleStats.median(List.of(900L, 100L, 500L))).isEqualTo(500.0);
        assertThat(SampleStats.median(List.of(400L, 100L, 900L, 600L))).isEqualTo(500.0);
        assertThat(SampleStats.max(List.of(400L, 100L, 900L, 600L))).isEqualTo(900L);
    }

    @Test
    void noSamplesHaveNoMedian() {
        assertThatThrownBy(() -> SampleStats.median(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no samples");
    }

    @Property(tries = 200)
    void atLeastHalfTheSamplesLieOnEachSideOfTheMedian(
            @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 100_000) Long> samples) {
        double median = SampleStats.median(samples);
        long below = samples.stream().filter(s -> s <= median).count();
        long above = samples.stream().filter(s -> s >= median).count();
        assertThat(below * 2).isGreaterThanOrEqualTo(samples.size());
        assertThat(above * 2).isGreaterThanOrEqualTo(samples.size());
        assertThat(median).isLessThanOrEqualTo(SampleStats.max(samples));
    }

    @Test
    void aRowsPercentilesComeFromTheHistogramInMilliseconds() {
        Histogram micros = new Histogram(3);
        for (long ms = 1; ms <= 1000; ms++) {
            micros.recordValue(ms * 1000);
        }
        BenchmarkRow row = BenchmarkRow.of("ratchet", 3, "write", 100, 16, 10.0, 1000, 2, micros);
        assertThat(row.perSecond()).isEqualTo(100.0);
        assertThat(row.p50Ms()).isCloseTo(500, within(1.0));
        assertThat(row.p99Ms()).isCloseTo(990, within(1.5));
        assertThat(row.p999Ms()).isCloseTo(999, within(1.5));
        assertThat(row.maxMs()).isCloseTo(1000, within(1.5));
        assertThat(BenchmarkRow.fromJson(row.toJson())).isEqualTo(row);
        assertThat(row.serverCpuUsPerOp()).isZero();
        assertThat(row.toJson().has("serverCpuUsPerOp")).isFalse();
        BenchmarkRow charged = row.withServerCpu(java.time.Duration.ofMillis(1500));
        assertThat(charged.serverCpuUsPerOp()).isEqualTo(1500.0);
        assertThat(BenchmarkRow.fromJson(charged.toJson())).isEqualTo(charged);
    }

    @Test
    void serverCpuIsReadFromTheOsAndAProcessThatIsGoneIsAnError() throws Exception {
        ServerCpu self = new ServerCpu(List.of(ProcessHandle.current().pid()));
        java.time.Duration before = self.total();
        // Burn CPU on this thread until the reading has grown by 50 ms, or give up after 20 s of wall time
        // (a loaded CI machine may give this thread little of it; a reading that never moves fails).
        long deadline = System.nanoTime() + 20_000_000_000L;
        long spin = 0;
        while (self.total().minus(before).compareTo(java.time.Duration.ofMillis(50)) < 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                spin += Long.numberOfTrailingZeros(spin + i);
            }
        }
        assertThat(spin).isPositive();
        assertThat(self.total().minus(before)).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(50));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThatThrownBy(() -> new ServerCpu(List.of(gone.pid())).total()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toString(gone.pid()));
    }

    @Test
    void aWindowWithNoAnswersHasZeroLatenciesNotAnError() {
        BenchmarkRow row = BenchmarkRow.of("ratchet", 3, "write", 100, 1, 5.0, 0, 7, new Histogram(3));
        assertThat(row.perSecond()).isZero();
        assertThat(row.p99Ms()).isZero();
        assertThat(row.failed()).isEqualTo(7);
    }

    @Test
    void howARestartedNodeGotItsRootsIsReadFromItsLog() {
        assertThat(RejoinBenchmark.path("node n3 started\nroots updated")).isEqualTo("root-iteration");
        assertThat(RejoinBenchmark.path("WARN every trust root this node holds has expired (it was away)"))
                .startsWith("join-token (every root had expired");
        assertThat(RejoinBenchmark.path("n3 has seen no leader for a long time; fetching the current trust roots"
                + " with the join token")).startsWith("join-token (roots refreshed");
    }

    @Test
    void prometheusSamplesAreSummedOverTagsAndFilteredByLabel() {
        String scrape = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="eden"} 100.0
                jvm_memory_used_bytes{area="heap",id="tenured"} 250.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9000.0
                jvm_memory_used_bytes_other 5.0
                ratchet_raft_leader_changes_total 3.0
                """;
        assertThat(NodeMetrics.sumIn(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).hasValue(350.0);
        assertThat(NodeMetrics.sumIn(scrape, "jvm_memory_used_bytes", "")).hasValue(9350.0);
        assertThat(NodeMetrics.sumIn(scrape, "ratchet_raft_leader_changes_total", "")).hasValue(3.0);
        assertThat(NodeMetrics.sumIn(scrape, "ratchet_trust_rotations_total", "")).isEmpty();
    }
}
