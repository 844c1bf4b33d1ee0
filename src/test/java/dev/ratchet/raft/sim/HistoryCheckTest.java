package dev.ratchet.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.linearizability.CheckResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An undecided history (the checker's budget spent) must fail a simulated run, never pass it. */
class HistoryCheckTest {

    private static SimHistory concurrentWrites() {
        SimHistory h = new SimHistory();
        // Enough overlapping writes and reads on one key that no search finishes in zero time.
        int[] ids = new int[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = h.invoke(i, new KvOp(KvOp.Kind.PUT, "a", "v" + i, null), 0);
        }
        for (int i = 0; i < ids.length; i++) {
            h.ok(ids[i], new KvOp.Result(null, false), 10 + i);
        }
        return h;
    }

    @Test
    void anUndecidedHistoryIsReportedAsAFailureWithItsKeyCount() {
        CheckResult result = HistoryCheck.checkResult(concurrentWrites(), Duration.ZERO, Duration.ZERO);
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.UNKNOWN);
        assertThat(result.undecided()).isEqualTo(1);
        assertThat(HistoryCheck.verdict(result)).isNotNull().startsWith("undecided: 1 of 1 keys");
    }

    @Test
    void theSameHistoryWithTheNormalBudgetIsDecided() {
        SimHistory h = concurrentWrites();
        assertThat(HistoryCheck.checkResult(h).outcome()).isEqualTo(CheckResult.Outcome.LINEARIZABLE);
        assertThat(HistoryCheck.check(h)).isNull();
    }
}
