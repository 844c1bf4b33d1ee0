package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * The security chain is built without Spring Security's observation decorator (issue 14), which wraps every
 * filter of every request, even with its observations disabled by property, and cost about 4% of a node's
 * request-handling CPU in a profile. Spring decorates the chain only when its observation registry is real
 * and these settings observe requests. In this test context the chain was found undecorated even without
 * the settings bean, so the settings, which are what a real node's chain depends on, are what this checks.
 */
class SecurityChainDecorationTest extends SoloNodeTest {

    @Autowired
    SecurityObservationSettings settings;

    @Test
    void theSecurityChainObservesNothing() throws Exception {
        assertThat(settings.shouldObserveRequests()).isFalse();
        assertThat(settings.shouldObserveAuthentications()).isFalse();
        assertThat(settings.shouldObserveAuthorizations()).isFalse();
        // And the chain still decides: a key without credentials is refused.
        assertThat(http.send("GET", "/api/v1/kv/anything", null).status()).isEqualTo(401);
    }
}
