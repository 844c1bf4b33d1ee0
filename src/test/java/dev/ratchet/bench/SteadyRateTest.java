package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SteadyRateTest {

    @Test
    void steadyOnlyOnceTheLastTwoSlicesOfEveryKindAgree() {
        SteadyRate rate = new SteadyRate(2);
        rate.record(0, 900);
        rate.record(1, 400);
        assertThat(rate.steady()).as("one slice each").isFalse();
        rate.record(0, 3_300);
        rate.record(1, 1_200);
        assertThat(rate.steady()).as("still climbing").isFalse();
        rate.record(0, 3_400);
        rate.record(1, 1_700);
        assertThat(rate.steady()).as("leader steady, spread still 40% up").isFalse();
        rate.record(0, 3_350);
        rate.record(1, 1_800);
        assertThat(rate.steady()).isTrue();
        rate.record(1, 1_500);
        assertThat(rate.steady()).as("a drop of 17% is not steady either").isFalse();
    }

    @Test
    void aKindThatDidNothingIsNeverSteady() {
        SteadyRate rate = new SteadyRate(1);
        rate.record(0, 0);
        rate.record(0, 0);
        assertThat(rate.steady()).isFalse();
        assertThatThrownBy(() -> new SteadyRate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
