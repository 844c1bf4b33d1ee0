package dev.ratchet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code ratchet.join.max-voters} is checked when the properties bind, with one line naming it. */
class JoinPropertiesTest {

    @Test
    void theVoterBoundIsOneToSeven() {
        for (int bad : new int[] {0, -1, 8, 100}) {
            assertThatThrownBy(() -> new RatchetProperties.Join(bad))
                    .isInstanceOf(Validation.InvalidPropertyException.class)
                    .hasMessageContaining("ratchet.join.max-voters").hasMessageContaining("1 to 7");
        }
        assertThat(new RatchetProperties.Join(1).maxVoters()).isEqualTo(1);
        assertThat(new RatchetProperties.Join(7).maxVoters()).isEqualTo(7);
    }
}
