package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrustSettingsTest {

    @Test
    void defaultsMatchTheSeed() {
        TrustSettings settings = TrustSettings.defaults();
        assertThat(settings.rootCertExpire()).isEqualTo(Duration.ofDays(90));
        assertThat(settings.maxTrustRoots()).isEqualTo(3);
        assertThat(settings.certGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.keyType()).isEqualTo(KeyType.EC_P256);
        assertThat(settings.rotationCheckInterval()).isEqualTo(Duration.ofDays(90).dividedBy(7));
        assertThat(settings.rotationAge()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.rootListLimit()).isEqualTo(4);
    }

    @Test
    void refusesTooFewTrustRootsNamingTheProperty() {
        assertThatThrownBy(() -> new TrustSettings(Duration.ofDays(90), 0, Duration.ofHours(1), KeyType.EC_P256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratchet.trust.max-trust-roots");
    }

    @Test
    void refusesGraceLongerThanExpiryNamingBothProperties() {
        assertThatThrownBy(() -> new TrustSettings(Duration.ofHours(1), 3, Duration.ofHours(2), KeyType.EC_P256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratchet.trust.cert-grace").hasMessageContaining("ratchet.trust.root-cert-expire");
    }

    @Test
    void refusesAnIntervalThatComputesToZero() {
        assertThatThrownBy(() -> new TrustSettings(Duration.ofNanos(6), 3, Duration.ZERO, KeyType.EC_P256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratchet.trust.root-cert-expire").hasMessageContaining("interval of zero");
    }

    @Test
    void refusesNonPositiveExpiryAndNegativeGrace() {
        assertThatThrownBy(() -> new TrustSettings(Duration.ZERO, 3, Duration.ZERO, KeyType.EC_P256))
                .hasMessageContaining("ratchet.trust.root-cert-expire");
        assertThatThrownBy(() -> new TrustSettings(Duration.ofDays(1), 3, Duration.ofSeconds(-1), KeyType.EC_P256))
                .hasMessageContaining("ratchet.trust.cert-grace");
    }

    @Test
    void acceptsGraceEqualToExpiry() {
        assertThat(new TrustSettings(Duration.ofDays(1), 1, Duration.ofDays(1), KeyType.RSA_2048).certGrace())
                .isEqualTo(Duration.ofDays(1));
    }
}
