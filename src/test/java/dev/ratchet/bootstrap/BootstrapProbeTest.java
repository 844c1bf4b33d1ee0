package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Answers authenticate with the join token and the question's nonce; the fresh node's listener answers them. */
class BootstrapProbeTest {

    final BootstrapProbe probe = new BootstrapProbe("join-token-0123456789");
    final SecureRandom random = new SecureRandom();

    @Test
    void anAnswerVerifiesOnlyForItsNonceItsTokenAndItsContent() {
        String nonce = BootstrapProbe.newNonce(random);
        BootstrapProbe.Answer a = probe.answer(nonce, "n2", BootstrapProbe.State.FRESH, "");
        assertThat(probe.verify(nonce, a)).isTrue();
        assertThat(probe.verify(BootstrapProbe.newNonce(random), a)).as("replayed for another question").isFalse();
        assertThat(new BootstrapProbe("another-token-0123456789").verify(nonce, a)).as("other token").isFalse();
        assertThat(probe.verify(nonce, new BootstrapProbe.Answer("n2", BootstrapProbe.State.MEMBER, "", a.mac())))
                .as("state changed").isFalse();
        assertThat(probe.verify(nonce, new BootstrapProbe.Answer("n3", BootstrapProbe.State.FRESH, "", a.mac())))
                .as("node changed").isFalse();
        assertThat(probe.verify(nonce, new BootstrapProbe.Answer("n2", BootstrapProbe.State.FRESH, "", null))).isFalse();
    }

    @Test
    void aFreshNodesListenerAnswersTheQuestionAndNothingElse() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (FreshNodeResponder responder = FreshNodeResponder.start(any, probe, "n2", true)) {
            URI base = URI.create("http://127.0.0.1:" + responder.address().getPort());
            HttpProber prober = new HttpProber(probe, random, Duration.ofSeconds(3));
            BootstrapProbe.Answer answer = prober.ask(base).orElseThrow();
            assertThat(answer.nodeId()).isEqualTo("n2");
            assertThat(answer.state()).isEqualTo(BootstrapProbe.State.FOUNDER);
            // A prober with another token does not take the answer.
            assertThat(new HttpProber(new BootstrapProbe("another-token-0123456789"), random, Duration.ofSeconds(3))
                    .ask(base)).isEmpty();
            HttpResponse<String> other = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/api/v1/kv/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(503);
            assertThat(other.body()).contains("starting");
            port = responder.address().getPort();
        }
        // Closed: the port is free again for the web server.
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(new HttpProber(probe, random, Duration.ofSeconds(1)).ask(URI.create("http://127.0.0.1:" + port))).isEmpty();
    }

    int port;
}
