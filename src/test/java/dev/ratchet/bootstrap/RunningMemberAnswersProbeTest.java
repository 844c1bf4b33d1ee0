package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.testsupport.SoloNodeProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running member answers the bootstrap question of a founder on an empty disk (HttpProber, as the
 * founder asks it) without credentials, even with anonymous access off: else a founder whose volume was
 * wiped never learns that its cluster runs, and with bootstrap-expect 1 (or enough fresh seeds) would
 * found a second cluster beside it. The answer tells no more than "member of cluster X", signed with the
 * join token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunningMemberAnswersProbeTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws Exception {
        SoloNodeProperties.register(registry, "probe-test-admin-token-0123456789");
    }

    @Test
    void anAnonymousProbeGetsASignedMemberAnswer() throws Exception {
        URI api = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(api.resolve("/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        HttpProber prober = new HttpProber(new BootstrapProbe(SoloNodeProperties.JOIN_TOKEN), new SecureRandom(),
                Duration.ofSeconds(5));
        Optional<BootstrapProbe.Answer> answer = prober.ask(api);
        assertThat(answer).as("the member's answer to the bootstrap question").isPresent();
        assertThat(answer.get().state()).isEqualTo(BootstrapProbe.State.MEMBER);
        assertThat(answer.get().nodeId()).isEqualTo("solo");
        // The same question signed with another token does not verify: the prober ignores it.
        assertThat(new HttpProber(new BootstrapProbe("another-join-token-0123456789"), new SecureRandom(),
                Duration.ofSeconds(5)).ask(api)).isEmpty();
    }
}
