package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SteadyRateTest {

    @Test
    void steadyOnlyOnceTheLastThreeSlicesOfEveryKindAgree() {
        SteadyRate rate = new SteadyRate(2);
        rate.record(0, 900);
        rate.record(1, 400);
        rate.record(0, 3_300);
        rate.record(1, 1_200);
        assertThat(rate.steady()).as("two slices each, still climbing").isFalse();
        rate.record(0, 3_400);
        rate.record(1, 1_700);
        assertThat(rate.steady()).as("leader climbed 3x within the last three").isFalse();
        rate.record(0, 3_350);
        rate.record(1, 1_800);
        rate.record(0, 3_380);
        rate.record(1, 1_750);
        assertThat(rate.steady()).as("spread 1,700-1,800, leader 3,350-3,400").isTrue();
        rate.record(1, 1_500);
        assertThat(rate.steady()).as("a drop of 17% is not steady either").isFalse();
    }

    @Test
    void aRateThatStillClimbsSlowlyIsNotSteadyThoughTwoNeighboursAgree() {
        // The 2026-12-03 spread slices that a two-slice rule took for steady.
        SteadyRate rate = new SteadyRate(1);
        for (double r : new double[] {938, 1_337, 1_245}) {
            rate.record(0, r);
        }
        assertThat(rate.steady()).isFalse();
        rate.record(0, 1_290);
        assertThat(rate.steady()).isTrue();
    }

    @Test
    void aKindThatDidNothingIsNeverSteady() {
        SteadyRate rate = new SteadyRate(1);
        rate.record(0, 0);
        rate.record(0, 0);
        rate.record(0, 0);
        assertThat(rate.steady()).isFalse();
        assertThatThrownBy(() -> new SteadyRate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
