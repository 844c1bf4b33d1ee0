package dev.ratchet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code ratchet.autopilot.*}, bound by Spring Boot's binder: off by default, checked with one line naming the property. */
class AutopilotPropertiesTest {

    @Test
    void offByDefaultWithAMinimumOfThreeVoters() {
        RatchetProperties p = bind(Map.of());
        assertThat(p.autopilot().deadAfter()).isNull();
        assertThat(p.autopilot().minVoters()).isEqualTo(3);
    }

    @Test
    void boundFromItsProperties() {
        RatchetProperties p = bind(Map.of("ratchet.autopilot.dead-after", "30m", "ratchet.autopilot.min-voters", "5"));
        assertThat(p.autopilot().deadAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.autopilot().minVoters()).isEqualTo(5);
    }

    @Test
    void minVotersIsOneToSeven() {
        for (String bad : new String[] {"0", "-1", "8"}) {
            assertThatThrownBy(() -> bind(Map.of("ratchet.autopilot.min-voters", bad)))
                    .rootCause().isInstanceOf(Validation.InvalidPropertyException.class)
                    .hasMessageContaining("ratchet.autopilot.min-voters").hasMessageContaining("1 to 7");
        }
    }

    @Test
    void deadAfterMustBePositiveAndWellAboveTheElectionTimeout() {
        assertThatThrownBy(() -> bind(Map.of("ratchet.autopilot.dead-after", "0s")))
                .rootCause().hasMessageContaining("ratchet.autopilot.dead-after").hasMessageContaining("positive");
        // The default election timeout is 500ms: ten of them is 5s.
        assertThatThrownBy(() -> bind(Map.of("ratchet.autopilot.dead-after", "4s")))
                .rootCause().hasMessageContaining("ratchet.autopilot.dead-after")
                .hasMessageContaining("10 x ratchet.raft.election-timeout (5000ms)");
        assertThat(bind(Map.of("ratchet.autopilot.dead-after", "5s")).autopilot().deadAfter()).hasSeconds(5);
        assertThatThrownBy(() -> bind(Map.of("ratchet.autopilot.dead-after", "5s",
                "ratchet.raft.election-timeout", "1s"))).rootCause().hasMessageContaining("(10000ms)");
    }

    private static RatchetProperties bind(Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("ratchet.node-id", "node-1", "ratchet.data-dir", "/tmp/x",
                "ratchet.join-token", "inline-join-token-0123"));
        props.putAll(extra);
        return new Binder(new MapConfigurationPropertySource(props)).bind("ratchet", Bindable.of(RatchetProperties.class))
                .get();
    }
}
