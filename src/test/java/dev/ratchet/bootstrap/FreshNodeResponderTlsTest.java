package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With HTTPS on the API port the fresh node's bootstrap listener speaks HTTPS with the API's key
 * material: a prober trusting the API's CA gets its signed answer, a prober with other trust and a
 * plain-HTTP question get none, and a founder expecting three fresh seeds founds over TLS (and does not
 * while it cannot verify them).
 */
class FreshNodeResponderTlsTest {

    static final String TOKEN = "join-token-0123456789";
    final BootstrapProbe probe = new BootstrapProbe(TOKEN);
    final SecureRandom random = new SecureRandom();
    final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger proberLog = (Logger) LoggerFactory.getLogger(HttpProber.class);
    TestApiCertificates api;

    @BeforeEach
    void certificatesAndLog() throws Exception {
        api = new TestApiCertificates("cluster-a");
        logged.start();
        proberLog.addAppender(logged);
    }

    @AfterEach
    void detachLog() {
        proberLog.detachAppender(logged);
    }

    private HttpProber prober(SSLContext trust) {
        return new HttpProber(probe, random, Duration.ofSeconds(3), trust);
    }

    private static URI https(FreshNodeResponder r) {
        return URI.create("https://127.0.0.1:" + r.address().getPort());
    }

    @Test
    void aTlsResponderAnswersAProberThatTrustsTheApiCa() throws Exception {
        try (FreshNodeResponder responder = FreshNodeResponder.start(loopback, api.serverContext(), probe, "n2", true)) {
            BootstrapProbe.Answer answer = prober(api.clientTrustingThisCa()).ask(https(responder)).orElseThrow();
            assertThat(answer.nodeId()).isEqualTo("n2");
            assertThat(answer.state()).isEqualTo(BootstrapProbe.State.FOUNDER);
        }
    }

    @Test
    void aProberWithOtherTrustGetsNoAnswerAndSaysWhy() throws Exception {
        SSLContext otherCa = new TestApiCertificates("cluster-b").clientTrustingThisCa();
        try (FreshNodeResponder responder = FreshNodeResponder.start(loopback, api.serverContext(), probe, "n2", false)) {
            URI seed = https(responder);
            HttpProber prober = prober(otherCa);
            assertThat(prober.ask(seed)).isEmpty();
            assertThat(prober.ask(seed)).isEmpty();
            List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).as("one WARN line per seed per minute, not one per round").hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage()).contains(seed.toString()).contains("TLS handshake failed")
                    .contains("counts as not answered").contains("javax.net.ssl.trustStore");
        }
    }

    @Test
    void plainHttpIsRefusedOnATlsResponder() throws Exception {
        try (FreshNodeResponder responder = FreshNodeResponder.start(loopback, api.serverContext(), probe, "n2", true)) {
            URI plain = URI.create("http://127.0.0.1:" + responder.address().getPort());
            assertThat(prober(api.clientTrustingThisCa()).ask(plain)).isEmpty();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(plain.resolve(BootstrapProbe.PATH + "?nonce="
                    + BootstrapProbe.newNonce(random))).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTlsProberGetsNoAnswerFromAPlainResponder() throws Exception {
        try (FreshNodeResponder responder = FreshNodeResponder.start(loopback, probe, "n2", true)) {
            assertThat(prober(api.clientTrustingThisCa()).ask(https(responder))).isEmpty();
        }
    }

    @Test
    void aFounderExpectingThreeFoundsOnceTwoFreshTlsSeedsAnswer() throws Exception {
        SSLContext server = api.serverContext();
        try (FreshNodeResponder n2 = FreshNodeResponder.start(loopback, server, probe, "n2", false);
                FreshNodeResponder n3 = FreshNodeResponder.start(loopback, server, probe, "n3", false)) {
            BootstrapDiscovery.Decision decision = new BootstrapDiscovery("n1", List.of(https(n2), https(n3)), 3,
                    prober(api.clientTrustingThisCa()), d -> {
                        throw new AssertionError("the first round should have decided");
                    }, System::nanoTime).decide();
            assertThat(decision.bootstrap()).isTrue();
            assertThat(decision.reason()).contains("[n1, n2, n3]");
        }
    }

    @Test
    void aFounderThatCannotVerifyItsSeedsKeepsWaitingInsteadOfFounding() throws Exception {
        SSLContext server = api.serverContext();
        SSLContext otherCa = new TestApiCertificates("cluster-b").clientTrustingThisCa();
        try (FreshNodeResponder n2 = FreshNodeResponder.start(loopback, server, probe, "n2", false);
                FreshNodeResponder n3 = FreshNodeResponder.start(loopback, server, probe, "n3", false)) {
            int[] rounds = {0};
            BootstrapDiscovery discovery = new BootstrapDiscovery("n1", List.of(https(n2), https(n3)), 3, prober(otherCa),
                    d -> {
                        if (++rounds[0] == 3) {
                            throw new InterruptedException("test stops the founder after three rounds");
                        }
                    }, System::nanoTime);
            assertThatThrownBy(discovery::decide).isInstanceOf(InterruptedException.class);
            assertThat(rounds[0]).isEqualTo(3);
        }
    }
}
