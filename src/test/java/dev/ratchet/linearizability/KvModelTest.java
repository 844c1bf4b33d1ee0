package dev.ratchet.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sequential key/value specification, one operation at a time. */
class KvModelTest {

    private final KvModel model = new KvModel();
    private final Map<String, String> holdsA = Map.of("x", "a");

    @Test
    void putDeleteAndGet() {
        assertThat(model.step(model.initial(), new KvInput.Put("x", "a"), KvOutput.ack())).contains(holdsA);
        assertThat(model.step(holdsA, new KvInput.Delete("x"), KvOutput.ack())).contains(Map.of());
        assertThat(model.step(holdsA, new KvInput.Get("x"), KvOutput.read("a"))).contains(holdsA);
        assertThat(model.step(holdsA, new KvInput.Get("x"), KvOutput.read("b"))).isEmpty();
        assertThat(model.step(holdsA, new KvInput.Get("y"), KvOutput.read(null))).contains(holdsA);
    }

    @Test
    void casSwapsOnlyFromTheExpectedValueAndAbsentIsExpectedAsNull() {
        assertThat(model.step(holdsA, new KvInput.Cas("x", "a", "b"), KvOutput.casOk())).contains(Map.of("x", "b"));
        assertThat(model.step(holdsA, new KvInput.Cas("x", "z", "b"), KvOutput.casOk())).isEmpty();
        assertThat(model.step(holdsA, new KvInput.Cas("x", "z", "b"), KvOutput.casFailed())).contains(holdsA);
        assertThat(model.step(holdsA, new KvInput.Cas("x", "a", "b"), KvOutput.casFailed())).isEmpty();
        assertThat(model.step(Map.of(), new KvInput.Cas("x", null, "b"), KvOutput.casOk())).contains(Map.of("x", "b"));
        assertThat(model.step(holdsA, new KvInput.Cas("x", null, "b"), KvOutput.casOk())).isEmpty();
    }

    @Test
    void unknownOutcomeAsksForTheEffectIfTheOperationTookEffect() {
        assertThat(model.step(holdsA, new KvInput.Put("x", "b"), null)).contains(Map.of("x", "b"));
        assertThat(model.step(holdsA, new KvInput.Get("x"), null)).contains(holdsA);
        assertThat(model.step(holdsA, new KvInput.Cas("x", "a", "b"), null)).contains(Map.of("x", "b"));
        assertThat(model.step(holdsA, new KvInput.Cas("x", "z", "b"), null)).isEmpty();
    }

    @Test
    void outputOfTheWrongKindIsRejected() {
        assertThatThrownBy(() -> model.step(holdsA, new KvInput.Put("x", "b"), KvOutput.read("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ack");
    }

    @Test
    void partitionsPerKeyInFirstAppearanceOrder() {
        Op<KvInput, KvOutput> x1 = Op.ok(0, 1, new KvInput.Put("x", "a"), KvOutput.ack(), 0, 1);
        Op<KvInput, KvOutput> y = Op.info(1, 2, new KvInput.Get("y"), 0);
        Op<KvInput, KvOutput> x2 = Op.ok(2, 1, new KvInput.Get("x"), KvOutput.read("a"), 2, 3);

        List<List<Op<KvInput, KvOutput>>> parts = model.partition(List.of(x1, y, x2));

        assertThat(parts).containsExactly(List.of(x1, x2), List.of(y));
        assertThat(model.describePartition(parts.get(1))).isEqualTo("key \"y\"");
    }

    @Test
    void inputsRejectMissingFields() {
        assertThatThrownBy(() -> new KvInput.Put("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new KvInput.Cas("x", "a", null)).isInstanceOf(NullPointerException.class);
        assertThat(new KvInput.Cas("x", null, "b").expectedValue()).isNull();
    }
}
