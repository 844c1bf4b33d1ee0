package dev.ratchet.linearizability;

import static dev.ratchet.linearizability.KvOutput.ack;
import static dev.ratchet.linearizability.KvOutput.casFailed;
import static dev.ratchet.linearizability.KvOutput.casOk;
import static dev.ratchet.linearizability.KvOutput.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.linearizability.CheckResult.Outcome;
import dev.ratchet.linearizability.KvInput.Cas;
import dev.ratchet.linearizability.KvInput.Delete;
import dev.ratchet.linearizability.KvInput.Get;
import dev.ratchet.linearizability.KvInput.Put;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written histories whose verdict is known: the classic anomalies and tricky legal ones. */
class LinearizabilityCheckerTest {

    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static final KvModel KV = new KvModel();

    private final History<KvInput, KvOutput> history = new History<>();

    private int done(int client, KvInput input, KvOutput output, long invoked, long returned) {
        int id = history.invoke(client, input, invoked);
        history.ok(id, output, returned);
        return id;
    }

    private int unknown(int client, KvInput input, long invoked) {
        int id = history.invoke(client, input, invoked);
        history.info(id, invoked);
        return id;
    }

    private CheckResult check() {
        return LinearizabilityChecker.check(KV, history, BUDGET);
    }

    @Test
    void staleReadAfterCompletedWriteIsNotLinearizable() {
        done(1, new Put("x", "1"), ack(), 0, 10);
        done(1, new Put("x", "2"), ack(), 20, 30);
        int staleRead = done(2, new Get("x"), read("1"), 40, 50);

        CheckResult result = check();

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
        assertThat(result.explanation())
                .contains("key \"x\"")
                .contains("longest linearizable prefix found: 2 operations")
                .contains("#" + staleRead + " client 2 [40, 50] get(x) -> \"1\"");
    }

    @Test
    void readOfValueNeverWrittenIsNotLinearizable() {
        done(1, new Put("x", "1"), ack(), 0, 10);
        done(2, new Get("x"), read("ghost"), 5, 15);

        assertThat(check().outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    }

    @Test
    void twoConcurrentCasFromTheSameValueCannotBothSucceed() {
        done(1, new Put("x", "0"), ack(), 0, 5);
        done(1, new Cas("x", "0", "1"), casOk(), 10, 20);
        done(2, new Cas("x", "0", "2"), casOk(), 12, 22);

        assertThat(check().outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    }

    @Test
    void oneOfTwoConcurrentCasSucceedingIsLinearizable() {
        done(1, new Put("x", "0"), ack(), 0, 5);
        done(1, new Cas("x", "0", "1"), casFailed(), 10, 20);
        done(2, new Cas("x", "0", "2"), casOk(), 12, 22);
        done(3, new Get("x"), read("2"), 30, 40);

        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void writeVisibleThenLostIsNotLinearizableEvenIfTheWriteOutcomeIsUnknown() {
        unknown(1, new Put("x", "1"), 0);
        done(2, new Get("x"), read("1"), 10, 20);
        done(3, new Get("x"), read(null), 30, 40);

        assertThat(check().outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    }

    @Test
    void writeWithUnknownOutcomeMayTakeEffectLateOrNever() {
        unknown(1, new Put("x", "late"), 0);
        unknown(2, new Put("y", "never"), 0);
        done(3, new Get("x"), read(null), 10, 20);
        done(3, new Get("x"), read("late"), 30, 40);
        done(3, new Get("y"), read(null), 50, 60);

        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void unknownCasMaySucceedOrFail() {
        done(1, new Put("x", "0"), ack(), 0, 5);
        unknown(2, new Cas("x", "0", "1"), 10);
        done(3, new Get("x"), read("0"), 20, 30);
        done(3, new Get("x"), read("1"), 40, 50);
        done(1, new Cas("y", null, "1"), casOk(), 0, 5);
        unknown(2, new Cas("y", "0", "2"), 10);
        done(3, new Get("y"), read("1"), 60, 70);

        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void operationsThatTouchInTimeCountAsConcurrent() {
        done(1, new Put("x", "1"), ack(), 0, 10);
        done(2, new Get("x"), read(null), 10, 20);

        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void manyConcurrentWritersAndReadersAreLinearizableInSomeOrder() {
        int writers = 8;
        for (int c = 0; c < writers; c++) {
            done(c, new Put("x", "v" + c), ack(), c, 100 + c);
            done(100 + c, new Get("x"), read("v" + (writers - 1 - c)), 2 * c, 110);
        }
        done(200, new Delete("x"), ack(), 50, 120);
        unknown(201, new Put("x", "maybe"), 60);
        done(202, new Get("x"), read("maybe"), 130, 140);
        done(202, new Get("x"), read("maybe"), 150, 160);

        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void valueCannotComeBackAfterConcurrentWritesSettled() {
        for (int c = 0; c < 6; c++) {
            done(c, new Put("x", "v" + c), ack(), 0, 100);
        }
        done(10, new Get("x"), read("v3"), 200, 210);
        done(10, new Get("x"), read("v5"), 220, 230);
        done(10, new Get("x"), read("v3"), 240, 250);

        assertThat(check().outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    }

    @Test
    void failureIsReportedForTheKeyThatFailsAmongHealthyKeys() {
        for (int k = 0; k < 20; k++) {
            done(k, new Put("k" + k, "a"), ack(), 0, 10);
            done(k, new Get("k" + k), read("a"), 20, 30);
        }
        done(99, new Get("k7"), read(null), 40, 50);

        CheckResult result = check();

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
        assertThat(result.partitions()).isEqualTo(20);
        assertThat(result.explanation()).contains("key \"k7\"").contains("[40, 50] get(k7) -> absent");
    }

    @Test
    void runningOutOfTimeOrStatesIsUnknownNotAVerdict() {
        for (int c = 0; c < 6; c++) {
            done(c, new Put("x", "v" + c), ack(), 0, 100);
        }

        assertThat(LinearizabilityChecker.check(KV, history, Duration.ZERO).outcome()).isEqualTo(Outcome.UNKNOWN);
        CheckResult limited = LinearizabilityChecker.check(KV, history.ops(), BUDGET, 3);
        assertThat(limited.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(limited.explanation()).contains("more than 3 states");
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertThat(check().outcome()).isEqualTo(Outcome.LINEARIZABLE);
    }

    @Test
    void outputOfTheWrongKindIsARecordingErrorNotAVerdict() {
        done(1, new Get("x"), ack(), 0, 10);

        assertThatThrownBy(this::check).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Read");
    }

    @Test
    void duplicateOperationIdsAreRejected() {
        List<Op<KvInput, KvOutput>> ops = List.of(
                Op.ok(1, 1, new Get("x"), read(null), 0, 1), Op.ok(1, 2, new Get("x"), read(null), 0, 1));

        assertThatThrownBy(() -> LinearizabilityChecker.check(KV, ops, BUDGET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }
}
